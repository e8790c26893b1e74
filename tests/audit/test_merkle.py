"""The tree, proofs and stored hashes follow RFC 6962 / RFC 9162 (verifier.py)."""

import hashlib

import pytest

from itaku.audit import verifier
from itaku.audit.verifier import (
    append_hashes,
    completed_by,
    consistency_proof,
    inclusion_proof,
    leaf_hash,
    node_hash,
    tree_root,
    verify_consistency,
    verify_inclusion,
)

# The test leaves and roots of the certificate-transparency reference implementation.
CT_LEAVES = [
    bytes.fromhex(h)
    for h in ["", "00", "10", "2021", "3031", "40414243", "5051525354555657",
              "606162636465666768696a6b6c6d6e6f"]
]  # fmt: skip
CT_ROOTS = [
    "6e340b9cffb37a989ca544e6bb780a2c78901d3fb33738768511a30617afa01d",
    "fac54203e7cc696cf0dfcb42c92a1d9dbaf70ad9e621f4bd8d98662f00e3c125",
    "aeb6bcfe274b70a14fb067a5e5578264db0fa9b51af5e0ba159158f329e06e77",
    "d37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7",
    "4e3bbb1f7b478dcfe71fb631631519a3bca12c9aefca1612bfce4c13a86264d4",
    "76e67dadbcdf1e10e1b74ddc608abd2f98dfb16fbce75277b5232a127f2087ef",
    "ddb89be403809e325750d3d263cd78929c2942b7942a34b77e122c9594a74c8c",
    "5dc9da79a70659a9ad559cb701ded9a2ab9d823aad2f4960cfe370eff4604328",
]


def reference_root(leaves: list[bytes]) -> bytes:
    """RFC 6962 section 2.1, written as the recursion it defines."""
    if not leaves:
        return hashlib.sha256(b"").digest()
    if len(leaves) == 1:
        return leaf_hash(leaves[0])
    k = 1 << ((len(leaves) - 1).bit_length() - 1)
    return node_hash(reference_root(leaves[:k]), reference_root(leaves[k:]))


LEAVES = [f"event {n}".encode() for n in range(40)]


def range_root(lo: int, hi: int) -> bytes:
    return reference_root(LEAVES[lo:hi])


def test_roots_match_the_reference_implementation():
    for size, expected in enumerate(CT_ROOTS, start=1):
        assert tree_root(CT_LEAVES[:size]).hex() == expected


def test_the_streamed_root_equals_the_recursive_definition_for_every_size():
    for size in range(len(LEAVES) + 1):
        assert tree_root(LEAVES[:size]) == reference_root(LEAVES[:size])


def test_hashes_stored_at_append_give_every_root():
    stored: list[bytes] = []
    for index, data in enumerate(LEAVES):
        left = [stored[p][-32:] for p in completed_by(index)]
        stored.append(append_hashes(data, index, left))
        tops = [stored[last][level * 32 : (level + 1) * 32]
                for last, level in verifier.frontier_positions(index + 1)]  # fmt: skip
        assert verifier.fold(tops) == reference_root(LEAVES[: index + 1])


def test_every_inclusion_proof_verifies_and_a_wrong_one_does_not():
    for size in range(1, 34):
        root = reference_root(LEAVES[:size])
        for index in range(size):
            proof = inclusion_proof(index, size, range_root)
            leaf = leaf_hash(LEAVES[index])
            assert verify_inclusion(leaf, index, size, proof, root)
            assert not verify_inclusion(leaf_hash(b"forged"), index, size, proof, root)
            if size > 1:
                assert not verify_inclusion(leaf, (index + 1) % size, size, proof, root)


def test_every_consistency_proof_verifies_and_a_rewritten_history_does_not():
    for size in range(1, 34):
        root = reference_root(LEAVES[:size])
        for old_size in range(1, size + 1):
            old_root = reference_root(LEAVES[:old_size])
            proof = consistency_proof(old_size, size, range_root)
            assert verify_consistency(old_size, size, old_root, root, proof)
            forged = reference_root([b"forged", *LEAVES[1:old_size]])
            assert not verify_consistency(old_size, size, forged, root, proof)


def test_a_proof_in_a_log_of_ten_million_stays_under_a_kilobyte():
    """24 hashes of 32 bytes: the depth of the tree, whatever the events."""
    size = 10_000_000
    proof = inclusion_proof(1234567, size, lambda lo, hi: bytes(32))
    assert len(proof) == 24
    assert len(proof) * 32 < 1024


def test_positions_outside_the_log_have_no_proof():
    with pytest.raises(ValueError):
        inclusion_proof(5, 5, range_root)
    with pytest.raises(ValueError):
        consistency_proof(6, 5, range_root)
