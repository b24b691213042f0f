"""Corpus work: build a dataset from many reports (build, cache, workers, Dask), division codes, loading."""
