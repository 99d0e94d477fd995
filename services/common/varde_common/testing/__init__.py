"""Test helpers: a real PostgreSQL and a real Kafka-compatible broker for every test run (pytest plugin)."""
