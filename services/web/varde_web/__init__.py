"""Varde's web client: Norwegian pages rendered on the server, for every employee, from the phone first."""
