"""SM3 against the examples of GB/T 32905-2016, in pure Python and through OpenSSL."""

import os

from gongkai.domain.sm3 import sm3_hex, sm3_pure

ABC = "66c7f0f462eeedd9d1f2d46bdc10e4e24167c4875cf2f7a2297da02b8f4ba8e0"
ABCD16 = "debe9ff92275b8a138604889c18e5a4d6fdb70e5387e5765293dcba39c0c5732"


def test_standard_examples():
    assert sm3_pure(b"abc") == ABC == sm3_hex(b"abc")
    assert sm3_pure(b"abcd" * 16) == ABCD16 == sm3_hex(b"abcd" * 16)


def test_pure_python_agrees_across_block_boundaries():
    for size in (0, 1, 55, 56, 63, 64, 65, 119, 120, 128, 1000):
        data = os.urandom(size)
        assert sm3_pure(data) == sm3_hex(data)
