"""The vault offers no endpoint: sealed fields are opened by the apps that own them, in the
member's own request."""
