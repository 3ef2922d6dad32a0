"""Makes assets/fonts/NotoSansSC-liaison.otf: a single-face subset of Noto Sans CJK SC.

Characters kept: printable ASCII, common CJK and full-width punctuation, the 3,755 level-1
characters of GB 2312 (the common hanzi of any Chinese place name or label), and every
character of the config files in config/. Re-make with (Debian package fonts-noto-cjk and
PyPI fonttools==4.68.0):

    python3 assets/fonts/make_subset.py

The source font is under the SIL Open Font License 1.1 (assets/fonts/OFL.txt), which allows
subsetting and redistribution under the same licence.
"""
import pathlib
import subprocess

here = pathlib.Path(__file__).resolve().parent
root = here.parent.parent
chars = set(chr(c) for c in range(0x20, 0x7F))
chars |= set("，。、；：？！“”‘’（）《》【】〔〕…—－·•％＋＝／～　℃°×÷±≤≥←→↑↓")
for hi in range(0xB0, 0xD8):
    for lo in range(0xA1, 0xFF):
        try:
            chars.add(bytes([hi, lo]).decode("gb2312"))
        except UnicodeDecodeError:
            pass
for f in sorted((root / "config").glob("*.toml")):
    chars |= set(f.read_text(encoding="utf-8"))
chars = sorted(c for c in chars if c.isprintable() or c == "\u3000")
chars_file = pathlib.Path("/tmp/liaison-subset-chars.txt")
chars_file.write_text("".join(chars), encoding="utf-8")
subprocess.run(
    [
        "pyftsubset", "/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc", "--font-number=2",
        f"--text-file={chars_file}", "--layout-features=*", "--no-hinting",
        "--desubroutinize", "--name-IDs=*", f"--output-file={here / 'NotoSansSC-liaison.otf'}",
    ],
    check=True,
)
print(len(chars), "characters ->", (here / "NotoSansSC-liaison.otf").stat().st_size, "bytes")
