"""Per-layer gradient norms of a ``torch.nn.Module`` (torch is imported only when a module is passed)."""

from __future__ import annotations

import math
from typing import Any, Dict, Iterable, List, Mapping, Tuple


def layer_norms(model: Any) -> List[Tuple[str, float]]:
    """``(layer, L2 norm of its gradients)`` in the model's parameter order; see ``Run.log_gradient_norms``."""
    named_parameters = getattr(model, "named_parameters", None)
    if callable(named_parameters):
        return _module_norms(model)
    pairs: Iterable[Tuple[str, Any]] = model.items() if isinstance(model, Mapping) else model
    return [(str(layer), _norm(value)) for layer, value in pairs]


def _module_norms(model: Any) -> List[Tuple[str, float]]:
    import torch

    layers: Dict[str, List[Any]] = {}
    for name, parameter in model.named_parameters():
        grad = parameter.grad
        if grad is None:
            continue
        owner, _, leaf = name.rpartition(".")
        layers.setdefault(owner or leaf, []).append(grad.detach())
    if not layers:
        return []
    with torch.no_grad():
        # One squared norm per parameter, summed per layer, moved to the host in one transfer.
        squares = [torch.stack([torch.linalg.vector_norm(g, dtype=torch.float64) ** 2 for g in grads]).sum()
                   for grads in layers.values()]
        values = torch.stack(squares).sqrt().tolist()
    return list(zip(layers.keys(), values))


def _norm(value: Any) -> float:
    if isinstance(value, (int, float)):
        return float(value)
    try:
        import torch

        if isinstance(value, torch.Tensor):
            return float(torch.linalg.vector_norm(value.detach(), dtype=torch.float64))
    except ImportError:  # pragma: no cover - only numbers and sequences without torch
        pass
    return math.sqrt(sum(float(x) * float(x) for x in value))
