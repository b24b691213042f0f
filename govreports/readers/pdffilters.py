"""Decode a PDF stream's filter chain in bounded chunks, keeping nothing: what the guard counts.

Each filter is a generator of decoded chunks over the chunks of the layer below, so a stream of any
length or expansion ratio is measured with a few hundred kilobytes of memory. Image codecs (DCT, JPX,
CCITT, JBIG2) end the chain: their output is pixels, checked by the image's declared size instead.
"""
from __future__ import annotations

import base64
import re
import zlib
from typing import Callable, Iterable, Iterator

CHUNK = 1 << 16
# The PDF filter names, with their abbreviations (inline images use the short ones).
ALIASES = {"AHx": "ASCIIHexDecode", "A85": "ASCII85Decode", "Fl": "FlateDecode", "LZW": "LZWDecode",
           "RL": "RunLengthDecode", "DCT": "DCTDecode", "CCF": "CCITTFaxDecode"}
_HEX = re.compile(rb"[0-9A-Fa-f]")
_A85_GROUPS = re.compile(rb"(?:z|[!-u]{5})*")


def flate(chunks: Iterable[bytes]) -> Iterator[bytes]:
    """Inflate zlib data (stops at its end, or quietly at corrupt data: the PDF library reports that)."""
    dec = zlib.decompressobj()
    for chunk in chunks:
        while chunk and not dec.eof:
            out = dec.decompress(chunk, CHUNK)
            chunk = dec.unconsumed_tail
            if out:
                yield out
        if dec.eof:
            return


def ascii_hex(chunks: Iterable[bytes]) -> Iterator[bytes]:
    """Hex digits to bytes up to '>' (whitespace ignored, an odd last digit padded with 0)."""
    odd = b""
    for chunk in chunks:
        end = chunk.find(b">")
        digits = odd + b"".join(_HEX.findall(chunk if end == -1 else chunk[:end]))
        cut = len(digits) - len(digits) % 2
        odd = digits[cut:]
        if cut:
            yield bytes.fromhex(digits[:cut].decode())
        if end != -1:
            break
    if odd:
        yield bytes.fromhex((odd + b"0").decode())


def ascii85(chunks: Iterable[bytes]) -> Iterator[bytes]:
    """ASCII base-85 groups to bytes up to '~>'."""
    rest = b""
    for chunk in chunks:
        end = chunk.find(b"~")
        data = rest + re.sub(rb"\s+", b"", chunk if end == -1 else chunk[:end])
        whole = _A85_GROUPS.match(data).end()
        rest = data[whole:]
        if whole:
            try:
                yield base64.a85decode(data[:whole])
            except ValueError:
                return
        if end != -1 or len(rest) > 4:
            break
    if 1 < len(rest) <= 4 and b"z" not in rest:
        yield base64.a85decode(rest + b"u" * (5 - len(rest)))[: len(rest) - 1]


def run_length(chunks: Iterable[bytes]) -> Iterator[bytes]:
    """RunLength runs: a length byte n, then n+1 literal bytes (n < 128) or one byte 257-n times (n > 128)."""
    buf = b""
    for chunk in chunks:
        buf += chunk
        out, i = bytearray(), 0
        while i < len(buf):
            n = buf[i]
            if n == 128:
                yield bytes(out)
                return
            need = n + 2 if n < 128 else 2
            if i + need > len(buf):
                break
            out += buf[i + 1:i + need] if n < 128 else buf[i + 1:i + 2] * (257 - n)
            i += need
            if len(out) >= CHUNK:
                yield bytes(out)
                out = bytearray()
        buf = buf[i:]
        if out:
            yield bytes(out)


def lzw(chunks: Iterable[bytes]) -> Iterator[bytes]:
    """LZW codes (9 to 12 bits, clear 256, end 257; widths change one code early, the default) to bytes."""
    table = [bytes([i]) for i in range(256)] + [b"", b""]
    width, prev, bits, nbits = 9, b"", 0, 0
    out = bytearray()
    for chunk in chunks:
        for byte in chunk:
            bits, nbits = (bits << 8) | byte, nbits + 8
            while nbits >= width:
                nbits -= width
                code = (bits >> nbits) & ((1 << width) - 1)
                bits &= (1 << nbits) - 1
                if code == 256:
                    table, width, prev = table[:258], 9, b""
                    continue
                if code == 257:
                    yield bytes(out)
                    return
                if code < len(table):
                    entry = table[code]
                elif code == len(table) and prev:
                    entry = prev + prev[:1]
                else:
                    return    # corrupt data: the PDF library says so
                out += entry
                if prev and len(table) < 4096:
                    table.append(prev + entry[:1])
                prev = entry
                if len(table) + 1 >= (1 << width) and width < 12:
                    width += 1
                if len(out) >= CHUNK:
                    yield bytes(out)
                    out = bytearray()
    if out:
        yield bytes(out)


DECODERS: dict[str, Callable[[Iterable[bytes]], Iterator[bytes]]] = {
    "FlateDecode": flate, "ASCIIHexDecode": ascii_hex, "ASCII85Decode": ascii85, "RunLengthDecode": run_length,
    "LZWDecode": lzw}


def decoded(chunks: Iterable[bytes], filters: list[str]) -> Iterator[bytes]:
    """The chunks of a stream once every filter of ``filters`` before the first image codec or unknown
    filter is applied (corrupt data ends the stream early: the library reports it in its own way)."""
    stream: Iterable[bytes] = chunks
    for name in filters:
        decoder = DECODERS.get(ALIASES.get(name, name))
        if decoder is None:
            break
        stream = decoder(stream)
    try:
        yield from stream
    except (zlib.error, ValueError):
        return
