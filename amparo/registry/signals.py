"""What the registry tells the floors above it, without importing them.

`incidents_changed` is sent by the registry's services inside the transaction that writes
incidents (created, edited, merged, moved to another desk, consent given or taken back,
imported, erased), with `ids`: the primary keys of the incidents written (erased ones
included: they are gone when a receiver runs its query). Receivers (analytics' rollups and
public tables) run in the same transaction; one that wants to act after the commit uses
`transaction.on_commit`. A bulk write sends once per batch, not once per row.
"""

from django.dispatch import Signal

incidents_changed = Signal()


def announce(ids: "list[int] | set[int] | tuple[int, ...]") -> None:
    """Send `incidents_changed` for these incident ids (no-op when empty)."""
    ids = sorted(set(ids))
    if ids:
        incidents_changed.send(sender="registry", ids=ids)
