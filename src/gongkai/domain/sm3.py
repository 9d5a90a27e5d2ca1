"""SM3 (GB/T 32905-2016), the national cryptographic hash, in pure Python.

Used beside SHA-256 in the audit chain so that a 密码应用安全性评估 finds a national algorithm
(ADR 0083). ``sm3_hex`` uses the platform's OpenSSL when it offers SM3 and this code otherwise;
both give the same digests (tests check the standard's examples on each).
"""

from __future__ import annotations

import hashlib
import struct

_IV = (
    0x7380166F,
    0x4914B2B9,
    0x172442D7,
    0xDA8A0600,
    0xA96F30BC,
    0x163138AA,
    0xE38DEE4D,
    0xB0FB0E4E,
)
_MASK = 0xFFFFFFFF


def _rotl(x: int, n: int) -> int:
    n %= 32
    return ((x << n) | (x >> (32 - n))) & _MASK


def _p0(x: int) -> int:
    return x ^ _rotl(x, 9) ^ _rotl(x, 17)


def _p1(x: int) -> int:
    return x ^ _rotl(x, 15) ^ _rotl(x, 23)


_T = [_rotl(0x79CC4519 if j < 16 else 0x7A879D8A, j) for j in range(64)]


def _compress(v: list[int], block: bytes) -> list[int]:
    w = list(struct.unpack(">16I", block))
    for j in range(16, 68):
        w.append(_p1(w[j - 16] ^ w[j - 9] ^ _rotl(w[j - 3], 15)) ^ _rotl(w[j - 13], 7) ^ w[j - 6])
    w1 = [w[j] ^ w[j + 4] for j in range(64)]
    a, b, c, d, e, f, g, h = v
    for j in range(64):
        ss1 = _rotl((_rotl(a, 12) + e + _T[j]) & _MASK, 7)
        ss2 = ss1 ^ _rotl(a, 12)
        if j < 16:
            ff, gg = a ^ b ^ c, e ^ f ^ g
        else:
            ff = (a & b) | (a & c) | (b & c)
            gg = (e & f) | (~e & g)
        tt1 = (ff + d + ss2 + w1[j]) & _MASK
        tt2 = (gg + h + ss1 + w[j]) & _MASK
        d, c, b, a = c, _rotl(b, 9), a, tt1
        h, g, f, e = g, _rotl(f, 19), e, _p0(tt2)
    return [x ^ y for x, y in zip(v, (a, b, c, d, e, f, g, h), strict=True)]


def sm3_pure(data: bytes) -> str:
    length = len(data) * 8
    padded = data + b"\x80" + b"\x00" * ((55 - len(data)) % 64) + struct.pack(">Q", length)
    v = list(_IV)
    for offset in range(0, len(padded), 64):
        v = _compress(v, padded[offset : offset + 64])
    return "".join(f"{x:08x}" for x in v)


def _openssl_sm3() -> bool:
    try:
        return hashlib.new("sm3", b"abc").hexdigest() == (
            "66c7f0f462eeedd9d1f2d46bdc10e4e24167c4875cf2f7a2297da02b8f4ba8e0"
        )
    except ValueError:
        return False


_NATIVE = _openssl_sm3()


def sm3_hex(data: bytes) -> str:
    if _NATIVE:
        return hashlib.new("sm3", data).hexdigest()
    return sm3_pure(data)
