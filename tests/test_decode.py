"""Bytes in every encoding people scrape come out as the same text, without mojibake."""
import codecs

import pytest

from pipeline.decode import DecodeError, decode_bytes

RO = "Ședința Consiliului Județean a avut loc în sala „Ion Rațiu”: primăria și școala."
RO_COMMA_FREE = "Şedinţa Consiliului Judeţean a avut loc în sala mare a primăriei şi şcoala."
BG = "Кметът на общината откри форума „Социални услуги“ – участваха 45 души."
PT = "A Secretaria de Educação promoveu a reunião com os gestores, às 9 horas, em São João."


@pytest.mark.parametrize("text, encoding", [
    (RO, "utf-8"), (BG, "utf-8"), (PT, "utf-8"),
    (BG, "cp1251"),
    (RO_COMMA_FREE, "cp1250"), (RO_COMMA_FREE, "iso-8859-2"), (RO, "iso-8859-16"),
    (PT, "cp1252"), (PT, "latin-1"),
])
def test_text_round_trips(text, encoding):
    decoded, _ = decode_bytes(text.encode(encoding))
    assert decoded == text


@pytest.mark.parametrize("text", [RO, BG, PT])
@pytest.mark.parametrize("prefix, encoding", [
    (codecs.BOM_UTF8, "utf-8"), (codecs.BOM_UTF16_LE, "utf-16-le"), (codecs.BOM_UTF16_BE, "utf-16-be"),
    (b"", "utf-16-le"), (b"", "utf-16-be"),
])
def test_boms_and_utf16_without_bom(text, prefix, encoding):
    decoded, _ = decode_bytes(prefix + text.encode(encoding))
    assert decoded == text


@pytest.mark.parametrize("data, kind", [
    (b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj", "binary"),
    (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", "binary"),
    (bytes(range(256)) * 8, "binary"),
])
def test_binary_is_refused(data, kind):
    with pytest.raises(DecodeError) as info:
        decode_bytes(data)
    assert info.value.kind == kind
