"""``make bench``: figures measured in one run, printed as JSON."""
