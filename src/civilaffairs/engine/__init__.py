"""The evaluation engine (认定引擎): one programme definition, two back ends.

* :func:`civilaffairs.engine.single.assess`: one household, every value recorded as an
  explained :class:`~civilaffairs.decision.Decision`;
* :func:`civilaffairs.engine.batch.evaluate_frame`: many households column-wise, outputs only.
"""
