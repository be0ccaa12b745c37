"""The desktop: Qt widgets and item models over the services. Never imports SQLAlchemy."""
