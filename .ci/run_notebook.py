import sys
if len(sys.argv) > 1:
    # Executes the notebook given (notebooks/compare_counties.ipynb against output-rollup/, made by
    # tools/rollup/demo.sh) and prints what its cells printed.
    import nbformat
    from nbclient import NotebookClient
    nb = nbformat.read(sys.argv[1], as_version=4)
    NotebookClient(nb, timeout=300, kernel_name='python3', resources={'metadata': {'path': 'notebooks'}}).execute()
    for c in nb.cells:
        if c.cell_type == 'code':
            for o in c.get('outputs', []):
                if o.get('name') == 'stdout': print(o['text'][:300])
    print('notebook executed:', sum(1 for c in nb.cells if c.cell_type == 'code'), 'code cells')
    sys.exit(0)
# Runs notebooks/compare_towns.ipynb as the README tells a user to (the same command), against
# output/history and output/ledger written by `liaison report`, and checks what its cells
# printed (not their source): Chinese, every check passed (a failing cell makes nbconvert exit
# non-zero).
import html, re, subprocess, sys
from pathlib import Path

command = [sys.executable, '-m', 'jupyter', 'nbconvert', '--to', 'html', '--execute',
           'notebooks/compare_towns.ipynb']
subprocess.run(command, check=True)
page = Path('notebooks/compare_towns.html').read_text(encoding='utf-8')
text = html.unescape(re.sub(r'<[^>]+>', ' ', re.sub(r'<(style|script)\b.*?</\1>', '', page, flags=re.S)))
printed = [
    re.search(r'polars 与 DuckDB 逐镇街逐月一致：共 \d+ 行', text),
    re.search(r'\d{4}-\d{2}：全县办结率 [\d.]+%，与简报一致；polars 与 DuckDB 逐镇街一致，共 \d+ 个镇街', text),
]
assert all(printed), 'the notebook did not print its checks'
for heading in ['各镇街逐月比较', '各镇街每月合计', '意见建议办理台账']:
    assert heading in text, heading
# Its tables are Chinese: unit names and Chinese column names, no unit codes shown.
for cell in [r'<th>镇街</th>', r'<td>"?星沙街道"?</td>', r'<th>办结率（%）</th>', r'<th>接待走访选民</th>']:
    assert re.search(cell, page), cell
assert not re.search(r'<td>"?xingsha"?</td>', page), 'a unit code shown'
assert 'Traceback' not in text
for m in printed:
    print(m.group(0))
print('notebook executed with the README command:', ' '.join(command[1:]))
