"""The PDF renderer's URL fetcher, call by call: what it reads, what it refuses and how it says so."""

from __future__ import annotations

import logging

import pytest

from examkit.render.pdf import FetchRefused, check_url, make_fetcher, write_pdf


def _body(response) -> bytes:
    data = getattr(response, "bytestring", None) or getattr(response, "string", None)
    if data is None:
        data = response.read()
    return data if isinstance(data, bytes) else data.encode()


def test_the_fetcher_reads_allowed_files_and_data_urls_and_nothing_else(tmp_path):
    (tmp_path / "logo.svg").write_text("<svg/>")
    fetcher = make_fetcher([tmp_path])
    assert _body(fetcher.fetch((tmp_path / "logo.svg").as_uri())) == b"<svg/>"
    assert _body(fetcher.fetch("file://localhost" + str(tmp_path / "logo.svg"))) == b"<svg/>"
    assert _body(fetcher.fetch("data:text/plain,hello")) == b"hello"
    for url in ("http://example.com/x.png", "file://evil.example/etc/passwd", "file:///etc/passwd"):
        with pytest.raises(FetchRefused):
            fetcher.fetch(url)
    assert fetcher.refused == [
        "refused to fetch 'http://example.com/x.png': examkit never uses the network while rendering",
        "refused to fetch 'file://evil.example/etc/passwd': a file on another host",
        "refused to fetch 'file:///etc/passwd': outside the templates and exam folders",
    ]


def test_check_url_names_the_file_it_allows(tmp_path):
    assert check_url((tmp_path / "a.css").as_uri(), [tmp_path]) == (tmp_path / "a.css").resolve()
    assert check_url(tmp_path.as_uri(), [tmp_path]) == tmp_path.resolve()
    assert check_url("DATA:,x", [tmp_path]) is None


def test_refusals_are_logged_with_the_file_being_written(tmp_path, caplog):
    html = '<img src="http://example.com/x.png"><p>text</p>'
    with caplog.at_level(logging.WARNING, logger="examkit.render"):
        write_pdf(html, tmp_path / "exam-A.pdf", [tmp_path])
    assert (tmp_path / "exam-A.pdf").read_bytes().startswith(b"%PDF")
    ours = [r.getMessage() for r in caplog.records if r.name == "examkit.render"]
    assert ours == ["exam-A.pdf: refused to fetch 'http://example.com/x.png': examkit never uses the network "
                    "while rendering"]
