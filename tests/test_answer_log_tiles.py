"""The answer log as C2SP tlog-tiles (issue #19): paths, which tiles a tree has, their bytes,
entry bundles, and reading hashes back from tiles checked against a tree head.

No reference implementation publishes tile test data (Go's sumdb/tlog tests its tiles against
its own stored hashes), so tiles are checked against the spec's own examples, hand-built trees
and a naive recursive tree head."""

from __future__ import annotations

import hashlib
from functools import cache

import pytest

from site_builder.answer_log.errors import TileError
from site_builder.answer_log.merkle import (
    MemoryTree,
    consistency_proof,
    inclusion_proof,
    leaf_hash,
    node_hash,
    range_hash,
    root,
    verify_inclusion,
)
from site_builder.answer_log.tile_reader import TileHashReader, hash_from_tile, tile_for_hash
from site_builder.answer_log.tiles import (
    ENTRIES,
    Tile,
    build_tiles,
    bundles_for_size,
    check_bundle,
    decode_bundle,
    encode_bundle,
    format_index,
    new_tiles,
    parse_tile_path,
    tile_data,
    tile_hash,
    tiles_for_size,
)
from tests.test_answer_log_merkle import naive_mth


@cache
def entries(count: int) -> tuple[bytes, ...]:
    return tuple(hashlib.sha256(f"answer {number}".encode()).digest() for number in range(count))


@cache
def leaves(count: int) -> tuple[bytes, ...]:
    return tuple(leaf_hash(entry) for entry in entries(count))


@cache
def tiled(count: int) -> dict[Tile, bytes]:
    return build_tiles(leaves(count))


@pytest.mark.parametrize(("tile", "path"), [
    (Tile(0, 0), "tile/0/000"),
    (Tile(0, 1, 5), "tile/0/001.p/5"),
    (Tile(3, 123456078), "tile/3/x123/x456/078"),
    (Tile(3, 123456078, 2), "tile/3/x123/x456/078.p/2"),
    (Tile(1, 3057500), "tile/1/x003/x057/500"),
    (Tile(63, 1000), "tile/63/x001/000"),
    (Tile(ENTRIES, 1234067), "tile/entries/x001/x234/067"),
    (Tile(ENTRIES, 0, 255), "tile/entries/000.p/255"),
])
def test_tile_paths_round_trip(tile: Tile, path: str) -> None:
    """Go's sumdb/tlog tilePaths, without the height element C2SP dropped (always 8)."""
    assert tile.path == path
    assert parse_tile_path(path) == tile


def test_indexes_are_written_in_groups_of_three_digits() -> None:
    assert format_index(1234067) == "x001/x234/067"
    assert format_index(999) == "999"
    assert format_index(1000) == "x001/000"


@pytest.mark.parametrize("path", [
    "tile/3/123/456/078", "tile/-1/000", "tile/64/000", "tile/00/000", "tile/0/000.p/256",
    "tile/0/000.p/0", "tile/0/000.p/007", "tile/0/x000/001", "tile/0/0001", "tile/data/000",
    "tile/0/000/", "/tile/0/000", "tile/1/x003/x057/500.p", "tile/entries/x1/000",
])
def test_other_paths_are_refused(path: str) -> None:
    with pytest.raises(TileError) as refused:
        parse_tile_path(path)
    assert refused.value.key == "answer_log.tile.bad_path"
    assert repr(path) in str(refused.value)


def test_the_spec_examples_of_partial_tiles() -> None:
    """c2sp.org/tlog-tiles: 70,000 leaves → 273 full level-0 tiles and one of width 112, one
    full level-1 tile and one of width 17, one level-2 tile of width 1; 256 leaves → a full
    level-0 tile and a level-1 tile of width 1."""
    tiles = tiles_for_size(70_000)
    assert [tile for tile in tiles if tile.level == 0] \
        == [Tile(0, index) for index in range(273)] + [Tile(0, 273, 112)]
    assert [tile for tile in tiles if tile.level > 0] == [Tile(1, 0), Tile(1, 1, 17),
                                                          Tile(2, 0, 1)]
    assert tiles_for_size(256) == [Tile(0, 0), Tile(1, 0, 1)]
    assert tiles_for_size(0) == []


def test_new_tiles_are_those_that_appeared_or_grew() -> None:
    assert new_tiles(1, 1) == []
    assert new_tiles(100, 101) == [Tile(0, 0, 101)]
    assert new_tiles(255, 257) == [Tile(0, 0), Tile(0, 1, 1), Tile(1, 0, 1)]
    assert new_tiles(256, 300) == [Tile(0, 1, 44)]
    assert new_tiles(1030, 2000) == [Tile(0, 4), Tile(0, 5), Tile(0, 6), Tile(0, 7, 208),
                                     Tile(1, 0, 7)]
    for old in range(0, 600, 7):
        for new in range(old, 600, 31):
            grown = set(tiles_for_size(new)) - set(tiles_for_size(old))
            assert set(new_tiles(old, new)) == grown, (old, new)


def test_bundles_follow_the_level_0_tiles() -> None:
    assert bundles_for_size(257) == [Tile(ENTRIES, 0), Tile(ENTRIES, 1, 1)]
    assert bundles_for_size(600, 300) == [Tile(ENTRIES, 1), Tile(ENTRIES, 2, 88)]


def test_hand_built_tiles_of_small_trees() -> None:
    assert build_tiles([]) == {}
    one, two, three = leaves(3)
    assert build_tiles([one]) == {Tile(0, 0, 1): one}
    assert build_tiles([one, two, three]) == {Tile(0, 0, 3): one + two + three}
    tiles_256 = build_tiles(leaves(256))
    assert tiles_256 == {Tile(0, 0): b"".join(leaves(256)),
                         Tile(1, 0, 1): naive_mth(leaves(256))}
    tiles_257 = build_tiles(leaves(257))
    assert tiles_257 == {**tiles_256, Tile(0, 1, 1): leaves(257)[256]}
    assert len(build_tiles(leaves(255))[Tile(0, 0, 255)]) == 255 * 32


@pytest.mark.parametrize("size", [1, 2, 3, 255, 256, 257, 600, 65_537])
def test_tiles_hold_the_trees_hashes(size: int) -> None:
    """Every tile equals the one read from an in-memory tree's hashes; the level-1 and level-2
    hashes are the tree heads of their 256 and 65,536 leaves."""
    tiles = tiled(size)
    assert sorted(tiles) == sorted(tiles_for_size(size))
    tree = MemoryTree(leaves(size))
    for tile, data in tiles.items():
        assert data == tile_data(tile, tree.hash_at), tile.path
    if size >= 256:
        assert tiles[tile_for_hash(8, 0, size)][:32] == naive_mth(leaves(size)[:256])
    if size == 65_537:
        assert tiles[Tile(2, 0, 1)] == root(leaves(65_536))


def test_hashes_above_a_tiles_level_are_computed_from_it() -> None:
    """HashFromTile: subtree hashes of 2…128 leaves are not stored, they are hashed up."""
    tiles = tiled(300)
    first = tiles[Tile(0, 0)]
    assert hash_from_tile(Tile(0, 0), first, 0, 7) == leaves(300)[7]
    assert hash_from_tile(Tile(0, 0), first, 1, 3) == node_hash(*leaves(300)[6:8])
    assert hash_from_tile(Tile(0, 0), first, 7, 1) == naive_mth(leaves(300)[128:256])
    assert tile_hash(first) == naive_mth(leaves(300)[:256])
    with pytest.raises(ValueError, match="not in"):
        hash_from_tile(Tile(0, 0), first, 0, 256)


def _reader(size: int, tiles: dict[Tile, bytes], fetched: list[Tile] | None = None,
            head: bytes | None = None) -> TileHashReader:
    def read_tile(tile: Tile) -> bytes:
        if fetched is not None:
            fetched.append(tile)
        if tile in tiles:
            return tiles[tile]
        return tiles[tile.full][:tile.width * 32]  # a partial tile since completed

    return TileHashReader(size, root(leaves(size)) if head is None else head, read_tile)


@pytest.mark.parametrize("size", [0, 1, 2, 3, 255, 256, 257, 600])
def test_a_reader_gives_every_hash_and_proof_from_tiles(size: int) -> None:
    fetched: list[Tile] = []
    reader = _reader(size, tiled(size), fetched)
    tree = MemoryTree(leaves(size))
    for index in range(size):
        assert reader.hash_at(0, index) == leaves(size)[index]
        assert inclusion_proof(index, size, reader.hash_at) \
            == inclusion_proof(index, size, tree.hash_at)
    for old in range(1, size + 1, 37):
        assert consistency_proof(old, size, reader.hash_at) \
            == consistency_proof(old, size, tree.hash_at)
        assert range_hash(0, old, reader.hash_at) == naive_mth(leaves(size)[:old])
    assert sorted(fetched) == sorted(tiles_for_size(size)), "each tile fetched once"


def test_an_older_tree_reads_from_the_tiles_of_a_newer_one() -> None:
    """A verifier holding an old checkpoint may be served tiles completed since: it takes the
    first hashes of the full tile."""
    reader = _reader(300, tiled(65_537))
    head = root(leaves(300))
    proof = inclusion_proof(299, 300, reader.hash_at)
    verify_inclusion(leaves(300)[299], 299, 300, proof, head)


def test_a_level_2_tile_checks_the_level_1_tile_below_it() -> None:
    fetched: list[Tile] = []
    reader = _reader(65_537, tiled(65_537), fetched)
    assert fetched == [Tile(2, 0, 1), Tile(0, 256, 1)]
    assert reader.hash_at(0, 1000) == leaves(65_537)[1000]
    assert fetched[2:] == [Tile(1, 0), Tile(0, 3)]


def _tampered(tiles: dict[Tile, bytes], tile: Tile) -> dict[Tile, bytes]:
    data = tiles[tile]
    return {**tiles, tile: data[:40] + bytes([data[40] ^ 1]) + data[41:]}


def test_altered_tiles_are_refused() -> None:
    tiles = tiled(600)
    with pytest.raises(TileError) as refused:
        _reader(600, _tampered(tiles, Tile(0, 2, 88)))
    assert refused.value.key == "answer_log.tile.root_mismatch"
    assert "tile/0/002.p/88" in str(refused.value)
    reader = _reader(600, _tampered(tiles, Tile(0, 1)))
    assert reader.hash_at(0, 3) == leaves(600)[3]  # the untouched tile still reads
    with pytest.raises(TileError) as refused:
        reader.hash_at(0, 300)
    assert refused.value.key == "answer_log.tile.parent_mismatch"
    assert "tile/0/001" in str(refused.value) and "tile/1/000.p/2" in str(refused.value)


def test_a_wrong_tree_head_or_tile_length_is_refused() -> None:
    with pytest.raises(TileError) as refused:
        _reader(300, tiled(300), head=root(leaves(299)))
    assert refused.value.key == "answer_log.tile.root_mismatch"
    with pytest.raises(TileError) as refused:
        _reader(300, {**tiled(300), Tile(0, 1, 44): tiled(300)[Tile(0, 1, 44)][:-1]})
    assert refused.value.key == "answer_log.tile.wrong_length"
    with pytest.raises(TileError) as refused:
        _reader(300, tiled(300)).hash_at(0, 300)
    assert refused.value.key == "answer_log.tile.not_in_tree"


def test_entry_bundles_round_trip_and_match_their_tile() -> None:
    bundle = Tile(ENTRIES, 1, 44)
    data = encode_bundle(entries(300)[256:])
    assert data[:2] == b"\x00\x20" and len(data) == 44 * 34
    assert decode_bundle(data, bundle) == list(entries(300)[256:])
    check_bundle(decode_bundle(data, bundle), bundle, tiled(300)[Tile(0, 1, 44)], leaf_hash)
    assert encode_bundle([b"", b"ab"]) == b"\x00\x00\x00\x02ab"


@pytest.mark.parametrize(("data", "key"), [
    (encode_bundle(entries(3))[:-1], "answer_log.bundle.truncated"),
    (encode_bundle(entries(3)) + b"\x00", "answer_log.bundle.truncated"),
    (encode_bundle(entries(2)), "answer_log.bundle.wrong_count"),
])
def test_broken_bundles_are_refused(data: bytes, key: str) -> None:
    with pytest.raises(TileError) as refused:
        decode_bundle(data, Tile(ENTRIES, 0, 3))
    assert refused.value.key == key


def test_a_bundle_entry_that_is_not_its_leaf_is_refused() -> None:
    altered = [*entries(3)]
    altered[1] = hashlib.sha256(b"another answer").digest()
    with pytest.raises(TileError) as refused:
        check_bundle(altered, Tile(ENTRIES, 0, 3), tiled(3)[Tile(0, 0, 3)], leaf_hash)
    assert refused.value.key == "answer_log.bundle.leaf_mismatch"
    assert refused.value.values["index"] == 1
    with pytest.raises(TileError) as refused:
        encode_bundle([b"x" * 65_536])
    assert refused.value.key == "answer_log.bundle.entry_too_long"
