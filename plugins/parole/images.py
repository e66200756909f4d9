"""The pictures part of the ``parole`` plugin: MkDocs' files and pages in, ``site_builder.images``
out.

One ``ImagesAdapter`` lives for one build (made in ``on_config``, whose ``extension`` the plugin
installs). ``publish`` runs in ``on_files``: every picture of the docs folder is prepared (or found
in the cache) and its files take the original's place in the build; the extension then rewrites
the pictures of each page.
"""

from __future__ import annotations

from pathlib import Path

from mkdocs.config.defaults import MkDocsConfig
from mkdocs.exceptions import PluginError
from mkdocs.structure.files import File, Files
from mkdocs.structure.pages import Page

from site_builder import images
from site_builder.errors import ConfigError, Problem
from site_builder.images.extension import ImagesExtension
from site_builder.messages import say

from .config import ImagesConfig

FIELD = "plugins.parole.images"


class ImagesAdapter:
    """Wires ``site_builder.images`` and its markdown extension into one MkDocs build."""

    def __init__(self, config: MkDocsConfig, options: ImagesConfig) -> None:
        self.settings = images.ImageSettings(widths=tuple(options.widths),
                                             quality=options.quality)
        project = Path(config.config_file_path).parent if config.config_file_path else Path()
        self.cache_dir = (project / options.cache_dir).resolve()
        config_name = Path(config.config_file_path or "mkdocs.yml").name
        problems = self.settings.problems(FIELD, file=config_name)
        if self.cache_dir.is_relative_to(Path(config.docs_dir).resolve()):
            problems.append(Problem(
                message=say("images.cache_in_docs", field=FIELD),
                fix=say("images.cache_in_docs.fix"),
                file=config_name, field=f"{FIELD}.cache_dir"))
        if problems:
            raise PluginError(str(ConfigError(problems)))
        self.extension = ImagesExtension()
        self.problems: list[Problem] = []

    def publish(self, files: Files, config: MkDocsConfig) -> None:
        """Replace each picture of the docs folder by the files made from it."""
        docs_dir = Path(config.docs_dir).resolve()
        sources = {file.src_uri: Path(file.abs_src_path) for file in files
                   if file.abs_src_path and file.src_dir and images.is_picture(file.src_uri)
                   and Path(file.src_dir).resolve() == docs_dir and file.inclusion.is_included()}
        prepared, problems = images.prepare(sources, self.settings, self.cache_dir)
        self.problems.extend(problems)
        for picture in prepared.values():
            if not isinstance(picture, images.Picture):
                continue
            original = files.get_file_from_path(picture.src_uri)
            assert original is not None
            files.remove(original)
            files.append(File.generated(config, picture.src_uri,
                                        abs_src_path=str(picture.original)))
            for variant in (*picture.fallback, *picture.webp):
                files.append(File.generated(config, picture.site_path(variant),
                                            abs_src_path=str(variant.cached)))
        self.extension.pictures = prepared
        self.extension.docs_files = frozenset(file.src_uri for file in files)

    def before_page(self, page: Page) -> None:
        """Tell the extension about the page MkDocs is about to render."""
        self.extension.start_page(page.file.src_uri, page.url, page.file.content_string)

    def after_page(self) -> None:
        """Collect what the extension found in the page just rendered."""
        self.problems.extend(sorted(self.extension.problems, key=lambda found: found.line or 0))
        self.extension.problems = []
