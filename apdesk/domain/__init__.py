"""Pure programme rules: no Qt, no SQL. Every rule explains itself with reasons."""
