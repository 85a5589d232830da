"""Thin AWS Glue entry points: arguments -> GlueContext -> read -> `glue.lib` -> write -> commit."""
