"""The C2SP tlog-tiles layout (https://c2sp.org/tlog-tiles): the answer log published as
static, immutable files that any web server serves and any client checks.

A tile lists 256 consecutive hashes of one level of the tree: tile level 0 holds leaf hashes,
tile level 1 the hashes of the complete subtrees of 256 leaves, level 2 of 65,536 leaves… A
tree's rightmost tiles are usually partial (fewer than 256 hashes) and carry their width in
their path. Entry bundles hold the entries themselves, 256 to a bundle, each a big-endian
uint16 length then its bytes. Paths: ``tile/<L>/<N>[.p/<W>]`` and
``tile/entries/<N>[.p/<W>]``, N written in groups of three digits (``x001/x234/067``).

Reading tiles back, and checking them against a checkpoint, is ``tile_reader``'s.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass

from site_builder.answer_log.errors import TileError
from site_builder.answer_log.merkle import HASH_SIZE, HashAt, parent_hashes

TILE_HEIGHT = 8
"""Tree levels a tile spans: 2**8 = 256 hashes in a full tile (fixed by tlog-tiles)."""
TILE_WIDTH = 1 << TILE_HEIGHT
ENTRIES = -1
"""The ``level`` of an entry bundle (``tile/entries/…``), as Go's sumdb/tlog marks data tiles."""
MAX_ENTRY = 0xFFFF
"""The longest entry an entry bundle can hold: its length is a uint16."""
MAX_LEVEL = 63


@dataclass(frozen=True, order=True)
class Tile:
    """One tile (or, at ``level`` ENTRIES, one entry bundle) of a tiled log."""

    level: int
    """The tile level L (its hashes are at tree level 8·L), or ENTRIES for an entry bundle."""
    index: int
    """N: the tile's number within its level, from 0."""
    width: int = TILE_WIDTH
    """How many hashes (or entries) it holds: 256, or 1 to 255 for a partial tile."""

    @property
    def tree_level(self) -> int:
        """The tree level of its hashes: leaves (and entries) are level 0."""
        return max(self.level, 0) * TILE_HEIGHT

    @property
    def partial(self) -> bool:
        return self.width < TILE_WIDTH

    @property
    def path(self) -> str:
        """Its path under the log's prefix: ``tile/1/x001/x234/067.p/5``."""
        level = "entries" if self.level == ENTRIES else str(self.level)
        suffix = f".p/{self.width}" if self.partial else ""
        return f"tile/{level}/{format_index(self.index)}{suffix}"

    @property
    def full(self) -> Tile:
        """The full tile this partial tile will become once the log has grown enough."""
        return Tile(self.level, self.index)


def format_index(index: int) -> str:
    """N in three-digit path elements, all but the last starting with ``x``: 1234067 →
    ``x001/x234/067`` (so that no directory holds more than 3,000 names)."""
    groups = [f"{index % 1000:03d}"]
    index //= 1000
    while index:
        groups.append(f"x{index % 1000:03d}")
        index //= 1000
    return "/".join(reversed(groups))


_PATH = re.compile(r"tile/(?P<level>0|[1-9][0-9]?|entries)/(?P<index>(?:x[0-9]{3}/)*[0-9]{3})"
                   r"(?:\.p/(?P<width>[1-9][0-9]{0,2}))?")


def parse_tile_path(path: str) -> Tile:
    """The tile at ``path`` (``tile/0/x001/234.p/7``, ``tile/entries/000``); ``TileError`` for
    anything tlog-tiles does not write exactly so (leading zeroes, a width of 256, level 64)."""
    match = _PATH.fullmatch(path)
    if not match:
        raise TileError("answer_log.tile.bad_path", path=path)
    level = ENTRIES if match["level"] == "entries" else int(match["level"])
    width = int(match["width"]) if match["width"] else TILE_WIDTH
    index = int(match["index"].replace("x", "").replace("/", ""))
    tile = Tile(level, index, width)
    # A level above 63, ".p/256", a leading group of zeroes (x000/001): not as tlog-tiles writes.
    if level > MAX_LEVEL or width > TILE_WIDTH or tile.path != path:
        raise TileError("answer_log.tile.bad_path", path=path)
    return tile


def tiles_for_size(size: int) -> list[Tile]:
    """Every hash tile a tree of ``size`` leaves publishes, full and partial, level by level
    (a tree of 70,000 leaves: 273 full and one partial tile of width 112 at level 0, one full and
    one of width 17 at level 1, one of width 1 at level 2)."""
    return new_tiles(0, size)


def new_tiles(old_size: int, new_size: int) -> list[Tile]:
    """The hash tiles to publish when the tree grows from ``old_size`` to ``new_size`` leaves:
    those that did not exist, or were partial, at ``old_size`` (Go's ``tlog.NewTiles``)."""
    if not 0 <= old_size <= new_size:
        raise ValueError(f"new_tiles: a log grows, it cannot go from {old_size} to {new_size}")
    tiles: list[Tile] = []
    level = 0
    while new_size >> (TILE_HEIGHT * level):
        old_count = old_size >> (TILE_HEIGHT * level)
        new_count = new_size >> (TILE_HEIGHT * level)
        if old_count != new_count:
            full = new_count >> TILE_HEIGHT
            tiles.extend(Tile(level, index) for index in range(old_count >> TILE_HEIGHT, full))
            if new_count % TILE_WIDTH:
                tiles.append(Tile(level, full, new_count % TILE_WIDTH))
        level += 1
    return tiles


def bundles_for_size(size: int, old_size: int = 0) -> list[Tile]:
    """The entry bundles of a log of ``size`` entries (those new since ``old_size``)."""
    return [Tile(ENTRIES, tile.index, tile.width)
            for tile in new_tiles(old_size, size) if tile.level == 0]


def tile_data(tile: Tile, hash_at: HashAt) -> bytes:
    """A hash tile's bytes, read from any ``hash_at`` (a database, an in-memory tree)."""
    start = tile.index * TILE_WIDTH
    return b"".join(hash_at(tile.tree_level, start + offset) for offset in range(tile.width))


def tile_hash(data: bytes | Sequence[bytes]) -> bytes:
    """The hash of the subtree whose 2**k hashes ``data`` holds (a full tile: 256 hashes → the
    hash one tile level up)."""
    hashes = split_hashes(data) if isinstance(data, bytes) else list(data)
    if not hashes or len(hashes) & (len(hashes) - 1):
        raise ValueError(f"tile_hash: {len(hashes)} hashes are no complete subtree")
    while len(hashes) > 1:
        hashes = parent_hashes(hashes)
    return hashes[0]


def split_hashes(data: bytes) -> list[bytes]:
    """The 32-byte hashes of a tile's bytes."""
    return [data[offset:offset + HASH_SIZE] for offset in range(0, len(data), HASH_SIZE)]


def build_tiles(leaf_hashes: Sequence[bytes]) -> dict[Tile, bytes]:
    """Every hash tile of the tree of ``leaf_hashes``, full and partial, with its bytes: the
    whole tiled tree at once, hashing each node once (a million leaves: about two seconds)."""
    tiles: dict[Tile, bytes] = {}
    hashes = list(leaf_hashes)
    level = 0
    while hashes:
        full_count = len(hashes) // TILE_WIDTH
        next_hashes = []
        for index in range(full_count):
            chunk = hashes[index * TILE_WIDTH:(index + 1) * TILE_WIDTH]
            tiles[Tile(level, index)] = b"".join(chunk)
            next_hashes.append(tile_hash(chunk))
        rest = hashes[full_count * TILE_WIDTH:]
        if rest:
            tiles[Tile(level, full_count, len(rest))] = b"".join(rest)
        hashes = next_hashes
        level += 1
    return tiles


def encode_bundle(entries: Iterable[bytes]) -> bytes:
    """An entry bundle's bytes: each entry's length as a big-endian uint16, then the entry."""
    parts: list[bytes] = []
    for entry in entries:
        if len(entry) > MAX_ENTRY:
            raise TileError("answer_log.bundle.entry_too_long", length=len(entry))
        parts.append(len(entry).to_bytes(2, "big") + entry)
    return b"".join(parts)


def decode_bundle(data: bytes, bundle: Tile) -> list[bytes]:
    """The entries of ``bundle``'s bytes; ``TileError`` if they stop mid-entry or are not as
    many as its width says."""
    entries: list[bytes] = []
    offset = 0
    while offset < len(data):
        if offset + 2 > len(data):
            raise TileError("answer_log.bundle.truncated", path=bundle.path, offset=offset)
        length = int.from_bytes(data[offset:offset + 2], "big")
        if offset + 2 + length > len(data):
            raise TileError("answer_log.bundle.truncated", path=bundle.path, offset=offset)
        entries.append(data[offset + 2:offset + 2 + length])
        offset += 2 + length
    if len(entries) != bundle.width:
        raise TileError("answer_log.bundle.wrong_count", path=bundle.path, count=len(entries),
                        expected=bundle.width)
    return entries


def check_bundle(entries: Sequence[bytes], bundle: Tile, level_0_data: bytes,
                 leaf_hash: Callable[[bytes], bytes]) -> None:
    """Check that each entry of ``bundle`` hashes (with ``leaf_hash``) to the leaf hash at the
    same place in its level-0 tile, whose bytes are ``level_0_data`` (already checked against
    the checkpoint, by ``tile_reader``)."""
    leaf_hashes = split_hashes(level_0_data)
    for position, entry in enumerate(entries):
        if position >= len(leaf_hashes) or leaf_hash(entry) != leaf_hashes[position]:
            raise TileError("answer_log.bundle.leaf_mismatch", path=bundle.path,
                            index=bundle.index * TILE_WIDTH + position)
