"""The parts of the statistics, a module per job; `amparo.analytics.stats` is the one door the
rest of the project uses (`stats.compute`, `stats.to_csv`, ...), so these modules can change
shape without touching a caller."""
