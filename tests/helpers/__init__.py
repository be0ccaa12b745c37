"""The shared test kit: fixtures and builders every test package uses."""
