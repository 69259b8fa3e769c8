"""The safe Markdown subset of bank text, and the jinja environment that uses it."""

from __future__ import annotations

import re

from hypothesis import given, settings
from hypothesis import strategies as st
from markupsafe import Markup

from examkit.render.html import make_environment
from examkit.render.markdown import render_markdown

OUR_TAGS = {"p", "pre", "code", "ul", "ol", "li", "strong", "em"}


def test_raw_html_is_shown_as_text_never_interpreted():
    out = render_markdown('Look: <img src="file:///etc/passwd"> and <script>alert(1)</script>')
    assert "<img" not in out and "<script" not in out
    assert "&lt;img src=&#34;file:///etc/passwd&#34;&gt;" in out
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in out


def test_emphasis_strong_and_inline_code():
    out = render_markdown("Use **bold**, *italic*, _also italic_ and `a < b` here")
    assert out == "Use <strong>bold</strong>, <em>italic</em>, <em>also italic</em> and <code>a &lt; b</code> here"


def test_markers_inside_words_and_code_are_left_alone():
    assert render_markdown("call snake_case_name with 2*3*4") == "call snake_case_name with 2*3*4"
    assert render_markdown("`**not bold**`") == "<code>**not bold**</code>"


def test_single_paragraph_is_inline_and_several_are_blocks():
    assert render_markdown("One line.") == "One line."
    assert render_markdown("First.\n\nSecond\nline.") == "<p>First.</p>\n<p>Second line.</p>"


def test_fenced_code_block_keeps_lines_and_escapes():
    out = render_markdown("Run:\n\n```\nif a < b:\n    print('<b>')\n```\nDone.")
    assert "<pre><code>if a &lt; b:\n    print(&#39;&lt;b&gt;&#39;)</code></pre>" in out
    assert out.startswith("<p>Run:</p>") and out.endswith("<p>Done.</p>")


def test_bullet_and_numbered_lists():
    out = render_markdown("Pick:\n- one *thing*\n- two\n  continued\n\n1. first\n2) second")
    assert "<ul><li>one <em>thing</em></li><li>two continued</li></ul>" in out
    assert "<ol><li>first</li><li>second</li></ol>" in out


def test_empty_text_and_markup_type():
    assert render_markdown("") == "" and render_markdown(None) == ""
    assert isinstance(render_markdown("x"), Markup)


@settings(max_examples=300, deadline=None)
@given(st.lists(st.sampled_from(list("ab <>/&\"'*_`-1.\n") + ["script", "img", "```", "- ", "1. "]), max_size=40).map("".join))
def test_output_only_ever_contains_our_own_tags(text):
    out = str(render_markdown(text))
    tags = {m.lower() for m in re.findall(r"</?([A-Za-z][A-Za-z0-9]*)", out)}
    assert tags <= OUR_TAGS, f"{text!r} produced {out!r}"


def test_environment_autoescapes_and_registers_md(tmp_path):
    (tmp_path / "t.html.j2").write_text("{{ raw }}|{{ raw|md }}")
    env = make_environment(tmp_path)
    out = env.get_template("t.html.j2").render(raw="<b>*x*</b>")
    assert out == "&lt;b&gt;*x*&lt;/b&gt;|&lt;b&gt;<em>x</em>&lt;/b&gt;"


def test_user_templates_fall_back_to_shipped_ones(tmp_path):
    (tmp_path / "key.html.j2").write_text("mine")
    env = make_environment(tmp_path)
    assert env.get_template("key.html.j2").render() == "mine"
    assert env.loader.get_source(env, "exam.html.j2")[1].endswith("exam.html.j2")
