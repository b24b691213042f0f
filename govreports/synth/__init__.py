"""Synthetic OGI reports with known truth, for round-trip property tests and scale benchmarks.

``draw_report(seed)`` draws the printed values (consistent with the identities, or broken on
purpose with the exact set of violated identities); ``render_pdf`` / ``render_html`` /
``render_docx`` print them the way real producers vary.
"""
from govreports.synth.expected import failed_identities
from govreports.synth.values import SynthReport, draw_report

__all__ = ["SynthReport", "draw_report", "failed_identities"]
