"""No background job here, by design: workers never open what is sealed to a ring."""
