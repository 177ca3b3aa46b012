"""Stream state, in one place: import every state name from ``staffwire.state``.

State is one subject seen from two sides, so it has one home with two small parts:

* the wire (:mod:`staffwire.state.messages`): the ``--state`` file read in (:func:`parse_state`), the
  :class:`Checkpoint` a stream yields, the STATE messages a source writes (:func:`state_message`,
  :class:`StateTracker`), the full-refresh marker :data:`NO_CURSOR_STATE`, and :class:`InvalidStateError` for a
  saved value a stream cannot resume from;
* the cursor (:mod:`staffwire.state.cursor`): what goes *in* an incremental stream's state -- cursor values in any
  spelling an API uses (:func:`parse_cursor`, the ``to_*`` writers, :func:`windows`) and :class:`CursorTracker`,
  which follows the highest cursor and de-duplicates the lookback overlap.

The parts are implementation; their names are re-exported here, and connectors, the SDK and tests import them from
here (``from staffwire.state import Checkpoint, CursorTracker``), so moving code between the parts never moves an
import. ``Checkpoint`` is also on the package's top-level surface (``from staffwire import Checkpoint, Stream``).
"""

from __future__ import annotations

from staffwire.state.cursor import (
    CursorTracker,
    parse_cursor,
    to_epoch_ms,
    to_epoch_seconds,
    to_iso,
    to_offset_iso,
    windows,
)
from staffwire.state.messages import (
    NO_CURSOR_STATE,
    Checkpoint,
    InvalidStateError,
    StateTracker,
    StreamKey,
    parse_state,
    state_message,
)

__all__ = [
    "NO_CURSOR_STATE",
    "Checkpoint",
    "CursorTracker",
    "InvalidStateError",
    "StateTracker",
    "StreamKey",
    "parse_cursor",
    "parse_state",
    "state_message",
    "to_epoch_ms",
    "to_epoch_seconds",
    "to_iso",
    "to_offset_iso",
    "windows",
]
