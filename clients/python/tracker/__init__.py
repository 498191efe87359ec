"""Tracker's Python client: log metrics from a training script, get early-stopping advice back from the server.

>>> import tracker
>>> with tracker.init(project="mnist", config={"lr": 3e-4}) as run:
...     run.log({"loss": 0.3, "val_loss": 0.4}, step=0)
...     if run.advice.should_stop: ...

Standard library only; ``log_gradient_norms`` uses torch when given a ``torch.nn.Module``.
"""

from ._config import Settings
from ._http import TrackerApiError
from ._run import Advice, Run, init
from ._spool import read_spool

__all__ = ["Advice", "Run", "Settings", "TrackerApiError", "init", "read_spool"]
__version__ = "0.1.0"
