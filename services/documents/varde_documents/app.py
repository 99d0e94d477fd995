"""Composition of the documents HTTP app."""

from functools import partial

from fastapi import FastAPI

from varde_common.attachments import PostgresAttachmentStore
from varde_common.http import Probes, create_http_app
from varde_common.runtime import Runtime
from varde_common.text_search import search_check
from varde_documents.approvals import ApprovalService
from varde_documents.attachments import AttachmentService
from varde_documents.comparison import Comparer
from varde_documents.config import DocumentsSettings
from varde_documents.coverage import CoverageService
from varde_documents.documents import DocumentService
from varde_documents.folders import FolderService
from varde_documents.reading import ReadingService
from varde_documents.revision import RevisionService
from varde_documents.router import router
from varde_documents.search import SearchService
from varde_documents.versions import VersionService


def create_app(runtime: Runtime, probes: Probes) -> FastAPI:
    probes.checks["search"] = partial(search_check, runtime.engine)
    app = create_http_app(service="documents", routers=[router], verifier=runtime.token_verifier(), probes=probes)
    sessions = runtime.sessions
    worker = Comparer()
    runtime.on_close.append(worker.close)
    app.state.documents = DocumentService(sessions, worker=worker)
    app.state.versions = VersionService(sessions, comparer=worker)
    app.state.revision = RevisionService(sessions, worker=worker)
    app.state.folders = FolderService(sessions)
    app.state.reading = ReadingService(sessions)
    app.state.search = SearchService(sessions)
    app.state.coverage = CoverageService(sessions)
    app.state.approvals = ApprovalService(sessions)
    settings = runtime.settings
    max_bytes = settings.attachment_max_bytes if isinstance(settings, DocumentsSettings) else 20 * 1_048_576
    app.state.attachments = AttachmentService(sessions, PostgresAttachmentStore(), max_bytes)
    return app
