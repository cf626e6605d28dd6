import DataStore
import FITS
import Foundation
import ImageDB
import PStampCore
import RequestDB
import Testing

@testable import Pipeline

/// A standalone site regenerating cleaned images from its archive: Parser → dependent →
/// UpdateProcessor → DependencyChecker → JobRunner → Finisher, in process, on a copy of the fixture
/// image database, restoring into a temporary image root (the committed fixtures are never written).
@Suite("Update processing from the site archive")
struct UpdateProcessorTests {
    static let fixtures = EndToEndTests.fixtures

    struct Site {
        let f: PipelineFixture
        let images: SQLiteImageDatabase
        let registry: DataStoreRegistry
        let imageRoot: URL
        let datapath: [String: String]
        let archive: URL

        init(archive: URL = UpdateProcessorTests.fixtures.appendingPathComponent("archive")) throws {
            f = try PipelineFixture()
            let copy = f.root.appendingPathComponent("gpc1.sqlite")
            try FileManager.default.copyItem(at: UpdateProcessorTests.fixtures.appendingPathComponent("gpc1.sqlite"), to: copy)
            images = try SQLiteImageDatabase(path: copy.path)
            registry = DataStoreRegistry(root: f.root.appendingPathComponent("ds"), store: OutgoingDataStoreStore(f.database.pool))
            try FileManager.default.createDirectory(at: registry.root, withIntermediateDirectories: true)
            _ = try f.database.projects.add(name: "gpc1", imagedb: "gpc1", camera: "GPC1", telescope: "PS1")
            imageRoot = f.root.appendingPathComponent("images")
            datapath = ["FIXTURES": imageRoot.path + ":" + UpdateProcessorTests.fixtures.path]
            self.archive = archive
        }

        /// Submits a one-row byid chip request for chip run `chipID` centred on exposure 101's XY33 (chip XY43 of exposure 102).
        func submit(chipID: Int64, name: String) throws -> Int64 {
            let text = """
                \(name) 2 PROCESS fixture@example.org
                1 150.021054 1.978958 100 100 2 stamp 7 gpc1 null null byid chip \(chipID) null null null null 0 0 null 0 0 | cleaned chip
                """
            let document = try RequestTextFormat.parse(text, reqName: name, email: nil)
            let path = f.root.appendingPathComponent("\(name).fits").path
            try RequestFile.write(header: document.header, rows: document.rows, to: path)
            return try f.database.requests.add(NewRequest(uri: path, label: "WEB"))
        }

        /// Every task of the flow, in the scheduler's roles, round after round until the request stops.
        func drain(_ reqID: Int64, rounds: Int = 12) async throws {
            let images = images
            let control: any ImageDatabase = images
            // Each round is a quarter of an hour later: every retry scheduled in one is due in the next.
            let clock = TestClock()
            let tasks: [any PipelineTask] = [
                Parser(database: f.database, settings: f.settings, datapath: datapath, images: { _ in images }),
                UpdateProcessor(images: images, archive: archive, datapath: datapath),
                DependencyChecker(database: f.database, settings: f.settings, images: { _ in control }),
                DependentReverter(database: f.database, settings: f.settings, images: { _ in control }, now: { clock.now }),
                StopFaulted(database: f.database, settings: f.settings),
                JobRunner(database: f.database, settings: f.settings),
                Finisher(database: f.database, registry: registry, writer: FITSResultsWriter(), settings: f.settings),
            ]
            for _ in 0..<rounds {
                for task in tasks {
                    for item in try await task.pending(limit: 50) { try await item.run() }
                }
                if try f.request(reqID).state == .stop { return }
                clock.advance(900)
            }
        }
    }

    @Test("a cleaned chip is restored from the archive, marked full and stamped")
    func cleanedChipIsRegenerated() async throws {
        let s = try Site()
        defer { s.f.cleanup() }
        #expect(try s.images.componentState(.chip, id: 212, component: "XY43")?.dataState == "cleaned")
        let reqID = try s.submit(chipID: 212, name: "upd.cleaned.chip")
        try await s.drain(reqID)
        let request = try s.f.request(reqID)
        #expect(request.state == .stop)
        let results = try ResultsFile.read(try #require(request.outdir) + "/results.fits")
        #expect(!results.rows.isEmpty)
        #expect(results.rows.allSatisfy { $0.errorCode == .success }, "\(results.rows.map(\.errorString))")
        // The image database says full, the files are in the site's image root, checksums as archived.
        let state = try #require(try s.images.componentState(.chip, id: 212, component: "XY43"))
        #expect(state.dataState == "full" && state.fault == 0)
        let relative = "gpc1/20090602/o5001g0102o/o5001g0102o.ch.212.XY43.ch.fits"
        let restored = try Data(contentsOf: s.imageRoot.appendingPathComponent(relative))
        #expect(FileChecksum.sha256(restored) == "421e19c77dcba670a62d467b558bc6c15d1cc836a28ae0e1ab1d30687bec9e87")
        #expect(!FileManager.default.fileExists(atPath: Self.fixtures.appendingPathComponent(relative).path))
    }

    @Test("a component with no archive file faults with 2 three times, then its jobs stop with 25")
    func missingArchiveFileEndsWith25() async throws {
        // An archive that lists the files but lost them.
        let archive = FileManager.default.temporaryDirectory.appendingPathComponent("pstamp-archive-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: archive, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: archive) }
        try FileManager.default.copyItem(
            at: Self.fixtures.appendingPathComponent("archive/SHA256SUMS"),
            to: archive.appendingPathComponent("SHA256SUMS"))
        let s = try Site(archive: archive)
        defer { s.f.cleanup() }
        let reqID = try s.submit(chipID: 212, name: "upd.missing.chip")
        try await s.drain(reqID)
        let request = try s.f.request(reqID)
        #expect(request.state == .stop)
        let results = try ResultsFile.read(try #require(request.outdir) + "/results.fits")
        #expect(!results.rows.isEmpty)
        #expect(results.rows.allSatisfy { $0.errorCode == .notAvailable }, "\(results.rows.map(\.errorString))")
        let state = try #require(try s.images.componentState(.chip, id: 212, component: "XY43"))
        #expect(state.dataState == "update" && state.fault == PStampCode.sysError.rawValue)
        let log = try String(contentsOfFile: try #require(request.outdir) + "/checkdep.1.log", encoding: .utf8)
        #expect(log.contains("3 times: giving up"), "\(log)")
    }

    @Test("a damaged archive file is refused: fault 2, nothing restored")
    func checksumMismatchFaults() throws {
        let archive = FileManager.default.temporaryDirectory.appendingPathComponent("pstamp-archive-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: archive) }
        let relative = "gpc1/20101227/o5573g0104o/o5573g0104o.ch.214.XY34.ch.fits"
        let file = archive.appendingPathComponent(relative)
        try FileManager.default.createDirectory(at: file.deletingLastPathComponent(), withIntermediateDirectories: true)
        try Data("not the archived bytes".utf8).write(to: file)
        try Data("\(String(repeating: "0", count: 64))  \(relative)\n".utf8).write(to: archive.appendingPathComponent("SHA256SUMS"))
        let s = try Site(archive: archive)
        defer { s.f.cleanup() }
        let processor = UpdateProcessor(images: s.images, archive: archive, datapath: s.datapath)
        let pending = try s.images.pendingUpdates()
        #expect(pending.map(\.component) == ["XY34"])
        #expect(try processor.process(pending[0]) == false)
        #expect(try s.images.componentState(.chip, id: 214, component: "XY34")?.fault == 2)
        #expect(!FileManager.default.fileExists(atPath: s.imageRoot.appendingPathComponent(relative).path))
        #expect(try s.images.pendingUpdates().isEmpty)
    }

    @Test("a configured command regenerates a stage instead of the archive; its exit status is the fault")
    func configuredCommand() throws {
        let s = try Site()
        defer { s.f.cleanup() }
        let archive = Self.fixtures.appendingPathComponent("archive").path
        // The command copies the chip's image from the archive: PSTAMP_OUTPUT_BASE is where it goes.
        let copy = UpdateProcessor(
            images: s.images, archive: s.archive, datapath: s.datapath,
            commands: [
                .chip:
                    #"cp "\#(archive)/gpc1/20101227/o5573g0104o/$(basename "$PSTAMP_OUTPUT_BASE").ch.fits" "$PSTAMP_OUTPUT_BASE.ch.fits" && test "$PSTAMP_COMPONENT" = XY34"#
            ])
        let pending = try #require(try s.images.pendingUpdates().first)
        #expect(try copy.process(pending))
        #expect(try s.images.componentState(.chip, id: 214, component: "XY34")?.dataState == "full")
        #expect(
            FileManager.default.fileExists(
                atPath: s.imageRoot.appendingPathComponent(
                    "gpc1/20101227/o5573g0104o/o5573g0104o.ch.214.XY34.ch.fits"
                ).path))
        // A failing command: its exit status is recorded as the component's fault.
        #expect(try s.images.setComponentToUpdate(.diff, id: 30602, component: "skycell.1405.054") == 1)
        let failing = UpdateProcessor(images: s.images, archive: s.archive, datapath: s.datapath, commands: [.diff: "exit 3"])
        let diff = try #require(try s.images.pendingUpdates().first { $0.stage == .diff })
        #expect(try failing.process(diff) == false)
        #expect(try s.images.componentState(.diff, id: 30602, component: "skycell.1405.054")?.fault == 3)
    }
}
