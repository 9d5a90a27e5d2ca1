"""The product's settings plus one URL for the page benchmark's baseline (bench_pages)."""

from gongkai.config.settings import *  # noqa: F403

ROOT_URLCONF = "bench.pages_urls"
