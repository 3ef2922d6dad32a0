# Executes notebooks/compare_towns.ipynb against output/history (made by `liaison report`), or
# the notebook given (notebooks/compare_counties.ipynb against output-rollup/, tools/rollup/demo.sh).
import nbformat, sys
from nbclient import NotebookClient
nb = nbformat.read(sys.argv[1] if len(sys.argv) > 1 else 'notebooks/compare_towns.ipynb', as_version=4)
NotebookClient(nb, timeout=300, kernel_name='python3', resources={'metadata': {'path': 'notebooks'}}).execute()
for c in nb.cells:
    if c.cell_type == 'code':
        for o in c.get('outputs', []):
            if o.get('name') == 'stdout': print(o['text'][:300])
print('notebook executed:', sum(1 for c in nb.cells if c.cell_type == 'code'), 'code cells')
