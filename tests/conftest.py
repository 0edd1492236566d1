import sys
from pathlib import Path

# Let tests import `corpus_support` whatever the working directory.
sys.path.insert(0, str(Path(__file__).parent))
