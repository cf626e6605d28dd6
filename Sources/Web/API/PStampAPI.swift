import DataStore
import FITS
import Foundation
import OpenAPIRuntime
import PStampCore
import RequestDB

/// The JSON API under `/api/v1`: the operations of `openapi.yaml` (the source of truth; the server side
/// is generated from it), over the request database. Reads and submissions here; the operator actions
/// in `PStampAPI+Operator.swift`; representations in `APIRepresentation.swift`.
struct PStampAPI: APIProtocol {
    let database: RequestDatabase
    let registry: DataStoreRegistry
    let intake: RequestIntake
    let limits: UploadLimits
    /// Reads and submissions need a user token (`require_user_token`).
    let tokenRequired: Bool
    /// The image databases' label tables, by database name (the `ps_ud_` update labels).
    let imageLabels: [(name: String, catalog: any LabelCatalog)]
    /// The text of `openapi.yaml`.
    let document: String

    func getOpenAPIDocument(_ input: Operations.GetOpenAPIDocument.Input) async throws -> Operations.GetOpenAPIDocument.Output {
        .ok(.init(body: .yaml(HTTPBody(document))))
    }

    func listRequests(_ input: Operations.ListRequests.Input) async throws -> Operations.ListRequests.Output {
        _ = try APICaller.requireReader(tokenRequired: tokenRequired)
        var filter = RequestListFilter()
        filter.notReqID = 0  // every request, unless a selector narrows it
        filter.name = input.query.name
        filter.state = input.query.state.flatMap { RequestState(rawValue: $0.rawValue) }
        filter.label = input.query.label
        let limit = input.query.limit ?? 100
        guard (1...1000).contains(limit) else { throw APIProblem(.badRequest, "limit is 1 to 1000, not \(limit)") }
        filter.limit = limit
        let requests = try database.requests.list(filter).map { try representation($0) }
        return .ok(.init(body: .json(.init(requests: requests))))
    }

    func getRequest(_ input: Operations.GetRequest.Input) async throws -> Operations.GetRequest.Output {
        _ = try APICaller.requireReader(tokenRequired: tokenRequired)
        let record = try request(input.path.reqId)
        let jobs = try jobs(of: record.reqID)
        let detail = Components.Schemas.RequestDetail(
            request: try representation(record, jobs: jobs), jobs: try jobs.map(Self.representation),
            dependents: try database.dependents.list(reqID: record.reqID).map(Self.representation),
            results: try results(of: record))
        return .ok(.init(body: .json(detail)))
    }

    func listRequestJobs(_ input: Operations.ListRequestJobs.Input) async throws -> Operations.ListRequestJobs.Output {
        _ = try APICaller.requireReader(tokenRequired: tokenRequired)
        let record = try request(input.path.reqId)
        return .ok(.init(body: .json(.init(jobs: try jobs(of: record.reqID).map(Self.representation)))))
    }

    func listRequestDependents(
        _ input: Operations.ListRequestDependents.Input
    ) async throws -> Operations.ListRequestDependents.Output {
        _ = try APICaller.requireReader(tokenRequired: tokenRequired)
        let record = try request(input.path.reqId)
        let dependents = try database.dependents.list(reqID: record.reqID).map(Self.representation)
        return .ok(.init(body: .json(.init(dependents: dependents))))
    }

    func submitRequest(_ input: Operations.SubmitRequest.Input) async throws -> Operations.SubmitRequest.Output {
        let identity = try APICaller.requireReader(tokenRequired: tokenRequired)
        let directory = try intake.dayDirectory()
        let temporary = directory.appendingPathComponent(".api-\(UUID().uuidString).fits")
        switch input.body {
        case .applicationFits(let body):
            guard FileManager.default.createFile(atPath: temporary.path, contents: try await collect(body)) else {
                throw APIProblem(.internalServerError, "cannot store the request file under \(directory.path)")
            }
        case .plainText(let body):
            let text = String(decoding: try await collect(body), as: UTF8.self)
            let document: RequestTextFormat.Document
            do { document = try RequestTextFormat.parse(text) } catch let error as RequestTextFormat.ParseError {
                throw APIProblem(.badRequest, "not the text request format: \(error.description)")
            }
            try write(header: document.header, rows: document.rows, to: temporary)
        case .json(let submission):
            let header = RequestHeader(
                reqName: submission.reqName, version: 2, action: submission.action?.rawValue ?? RequestHeader.Action.process.rawValue,
                email: submission.email)
            try write(header: header, rows: submission.rows.map(Self.row), to: temporary)
        }
        let added: RequestIntake.Added
        do { added = try intake.add(fileAt: temporary, identity: identity) } catch let refusal as RequestIntake.Refusal {
            switch refusal {
            case .notARequestFile(let message): throw APIProblem(.badRequest, message)
            case .badName(let message): throw APIProblem(.unprocessableContent, message)
            case .duplicateName(let message): throw APIProblem(.conflict, message)
            }
        }
        return .created(
            .init(
                body: .json(
                    .init(reqId: added.reqID, name: added.name, identity: added.notice, url: Self.url(reqID: added.reqID)))))
    }

    func getWorkload(_ input: Operations.GetWorkload.Input) async throws -> Operations.GetWorkload.Output {
        _ = try APICaller.requireReader(tokenRequired: tokenRequired)
        return .ok(.init(body: .json(try APIWorkload(database: database).summary())))
    }

    // MARK: helpers

    /// The request, or 404.
    func request(_ reqID: Int64) throws -> RequestRecord {
        guard let record = try database.requests.get(reqID: reqID) else { throw APIProblem.notFound(reqID: reqID) }
        return record
    }

    func jobs(of reqID: Int64) throws -> [JobRecord] {
        var filter = JobListFilter()
        filter.reqID = reqID
        return try database.jobs.list(filter).map(\.job)
    }

    /// The files of the request's results fileset, once it is published.
    func results(of record: RequestRecord) throws -> [Components.Schemas.ResultFile] {
        guard let product = record.outProduct, let name = record.name,
            let fileset = try? registry.store.fileset(product: product, name: name)
        else { return [] }
        return try registry.store.files(filesetID: fileset.filesetID).map { file in
            Components.Schemas.ResultFile(
                name: file.name, _type: file.type, bytes: file.bytes, md5: file.md5,
                url: Self.filesetURL(product: product, name: name) + file.name)
        }
    }

    /// The request body, at most the upload limit (413 beyond).
    func collect(_ body: HTTPBody) async throws -> Data {
        let tooLarge = APIProblem(.contentTooLarge, "the request file is larger than \(limits.maxBytes) bytes")
        if case .known(let length) = body.length, length > limits.maxBytes { throw tooLarge }
        do { return try await Data(collecting: body, upTo: limits.maxBytes) } catch { throw tooLarge }
    }

    /// A request file made from a header and rows (the text format or JSON rows).
    func write(header: RequestHeader, rows: [RawRequestRow], to file: URL) throws {
        do { try header.validateStructure() } catch { throw APIProblem(.unprocessableContent, error.message) }
        guard !rows.isEmpty else { throw APIProblem(.unprocessableContent, "the request has no rows") }
        do { try RequestFile.write(header: header, rows: rows, to: file.path) } catch {
            throw APIProblem(.unprocessableContent, "cannot make a request file of it: \(error)")
        }
    }

    static func row(_ payload: Components.Schemas.RequestSubmission.RowsPayloadPayload) -> RawRequestRow {
        RawRequestRow(
            payload.additionalProperties.mapValues { value in
                switch value {
                case .case1(let text): return .text(text)
                case .case2(let number):
                    if let whole = Int64(exactly: number) { return .integer(whole) }
                    return .real(number)
                }
            })
    }
}
