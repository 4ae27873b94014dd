"""CUDA-event timing shared by the benchmark scripts."""

import torch


def event_times(fn, calls, warmup=1, sync_each=False):
    """Sorted CUDA-event times (ms) of `calls` calls of `fn` on torch's
    current stream, after `warmup` untimed ones: queued back to back, or with
    the host waiting after each call (`sync_each`), as a training step that
    reads its loss does."""
    for _ in range(warmup):
        fn()
    torch.cuda.synchronize()
    events = [(torch.cuda.Event(enable_timing=True),
               torch.cuda.Event(enable_timing=True)) for _ in range(calls)]
    for start, end in events:
        start.record()
        fn()
        end.record()
        if sync_each:
            end.synchronize()
    torch.cuda.synchronize()
    return sorted(start.elapsed_time(end) for start, end in events)
