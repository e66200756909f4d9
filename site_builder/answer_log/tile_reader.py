"""Reading a tiled log back, for verifiers: any hash of the tree from the published tiles,
each tile checked against a trusted tree head before a hash is taken from it (what Go's
``tlog.TileHashReader`` and ``tlog.HashFromTile`` do, for tiles of height 8).

The tiles that hold the tree's right edge are checked first, by recomputing the tree head
from them; every other tile is full, and is checked against its hash in the tile above it,
itself checked the same way. So ``TileHashReader(...).hash_at`` can feed ``merkle``'s
``inclusion_proof``, ``consistency_proof`` and ``range_hash`` with hashes that are proven to be
the checkpoint's, whoever served the tiles.
"""

from __future__ import annotations

from collections.abc import Callable

from site_builder.answer_log.errors import TileError
from site_builder.answer_log.merkle import EMPTY_ROOT, HASH_SIZE, node_hash
from site_builder.answer_log.tiles import TILE_HEIGHT, TILE_WIDTH, Tile, tile_hash

ReadTile = Callable[[Tile], bytes]
"""Fetches a tile's bytes (from a folder, over HTTP); what it fetched is not trusted yet."""


def tile_for_hash(level: int, index: int, size: int) -> Tile:
    """The tile, at the width it has in a tree of ``size`` leaves, that holds (or, above its
    own level, yields) the hash of complete subtree ``index`` at tree ``level``."""
    if level < 0 or index < 0 or (index + 1) << level > size:
        raise TileError("answer_log.tile.not_in_tree", level=level, index=index, size=size)
    tile_level, level_in_tile = divmod(level, TILE_HEIGHT)
    tile_index = index >> (TILE_HEIGHT - level_in_tile)
    hashes_at_tile_level = size >> (tile_level * TILE_HEIGHT)
    width = min(TILE_WIDTH, hashes_at_tile_level - tile_index * TILE_WIDTH)
    return Tile(tile_level, tile_index, width)


def hash_from_tile(tile: Tile, data: bytes, level: int, index: int) -> bytes:
    """The hash of complete subtree ``index`` at tree ``level`` from ``tile``'s bytes: read as
    is at the tile's own level, computed from 2, 4… 128 of its hashes above it."""
    if len(data) != tile.width * HASH_SIZE:
        raise TileError("answer_log.tile.wrong_length", path=tile.path, length=len(data),
                        expected=tile.width * HASH_SIZE)
    level_in_tile = level - tile.tree_level
    if not 0 <= level_in_tile < TILE_HEIGHT or index >> (TILE_HEIGHT - level_in_tile) != tile.index:
        raise ValueError(f"hash_from_tile: hash {index} at level {level} is not in {tile.path}")
    first = (index << level_in_tile) - tile.index * TILE_WIDTH
    count = 1 << level_in_tile
    if first + count > tile.width:
        raise ValueError(f"hash_from_tile: hash {index} at level {level} is past {tile.path}")
    return tile_hash(data[first * HASH_SIZE:(first + count) * HASH_SIZE])


def right_edge(size: int) -> list[tuple[int, int]]:
    """The complete subtrees a tree of ``size`` leaves decomposes into, largest (leftmost)
    first, as (level, index): folding their hashes from the right gives the tree head."""
    parts: list[tuple[int, int]] = []
    start = 0
    for level in range(size.bit_length() - 1, -1, -1):
        if size >> level & 1:
            parts.append((level, start >> level))
            start += 1 << level
    return parts


class TileHashReader:
    """Hashes of the tree of ``size`` leaves headed by ``root`` (a verified checkpoint's), from
    tiles fetched by ``read_tile`` and checked before use; each tile is fetched once."""

    def __init__(self, size: int, root: bytes, read_tile: ReadTile) -> None:
        self.size = size
        self.root = root
        self._read_tile = read_tile
        self._checked: dict[Tile, bytes] = {}
        self._check_right_edge()

    def hash_at(self, level: int, index: int) -> bytes:
        """The hash of complete subtree ``index`` at tree ``level`` (``merkle.HashAt``),
        proven to belong to the tree head."""
        tile = tile_for_hash(level, index, self.size)
        return hash_from_tile(tile, self.tile(tile), level, index)

    def tile(self, tile: Tile) -> bytes:
        """``tile``'s bytes, checked against the tree head (through its parent tiles)."""
        if tile in self._checked:
            return self._checked[tile]
        if tile.partial:  # every partial tile of this size is on the right edge, checked
            raise ValueError(f"TileHashReader: {tile.path} is no tile of {self.size} leaves")
        parent = tile_for_hash(tile.tree_level + TILE_HEIGHT, tile.index, self.size)
        expected = hash_from_tile(parent, self.tile(parent), tile.tree_level + TILE_HEIGHT,
                                  tile.index)
        data = self._fetch(tile)
        if tile_hash(data) != expected:
            raise TileError("answer_log.tile.parent_mismatch", path=tile.path,
                            parent=parent.path)
        self._checked[tile] = data
        return data

    def _fetch(self, tile: Tile) -> bytes:
        data = self._read_tile(tile)
        if len(data) != tile.width * HASH_SIZE:
            raise TileError("answer_log.tile.wrong_length", path=tile.path, length=len(data),
                            expected=tile.width * HASH_SIZE)
        return data

    def _check_right_edge(self) -> None:
        """Fetch the tiles holding the tree's right edge and recompute the tree head from
        them: if it is the checkpoint's, every one of their hashes is."""
        edge = [(level, index, tile_for_hash(level, index, self.size))
                for level, index in right_edge(self.size)]
        fetched: dict[Tile, bytes] = {}
        for _, _, tile in edge:
            if tile not in fetched:
                fetched[tile] = self._fetch(tile)
        hashes = [hash_from_tile(tile, fetched[tile], level, index)
                  for level, index, tile in edge]
        computed = hashes[-1] if hashes else EMPTY_ROOT
        for part in reversed(hashes[:-1]):
            computed = node_hash(part, computed)
        if computed != self.root:
            raise TileError("answer_log.tile.root_mismatch", size=self.size,
                            paths=", ".join(tile.path for tile in fetched) or "-",
                            computed=computed.hex(), expected=self.root.hex())
        self._checked.update(fetched)
