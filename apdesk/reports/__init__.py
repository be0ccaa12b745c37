"""Programme reports on paper: the one-page summary for steering groups.

A rendering layer like :mod:`apdesk.portfolio`: it draws what the services return and never
touches the database or Qt itself.
"""
