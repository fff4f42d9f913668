"""Core exposes no endpoint of its own; the schema lives in `amparo.urls`."""
