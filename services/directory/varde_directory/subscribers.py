"""The directory is the source of reference data: it consumes no events (its worker role has nothing to do)."""
