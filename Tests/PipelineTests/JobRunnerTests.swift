import FITS
import Foundation
import ImageDB
import PStampCore
import RequestDB
import Testing

@testable import Pipeline

@Suite("JobRunner")
struct JobRunnerTests {
    /// A 200×100 float image with a gradient, written with cfitsio.
    func makeImage(_ path: String) throws {
        let width = 200, height = 100
        let pixels = (0..<(width * height)).map { Float($0 % width) + Float($0 / width) * 0.5 }
        let file = try FITSFile.create(path, overwrite: true)
        try file.appendImage(pixels, width: width, height: height)
        try file.close()
    }

    func stampJob(
        _ f: PipelineFixture, _ req: Int64, _ outdir: URL, rownum: Int, image: String,
        center: StampCenter?
    ) throws -> Int64 {
        let base = outdir.appendingPathComponent("\(rownum)_1_X_chip").path
        let params = JobParameters(
            rownum: rownum, stage: .chip, files: ImageFiles(image: image), center: center, width: 20, height: 10,
            sizeInPixels: true, optionMask: 1)
        try params.write(outputBase: base)
        return try f.database.jobs.add(NewJob(reqID: req, rownum: String(rownum), outputBase: base))
    }

    @Test("a runnable job is cut, its outputs listed with size and md5, and stopped with 0")
    func success() async throws {
        let f = try PipelineFixture()
        defer { f.cleanup() }
        let (req, outdir) = try f.runningRequest("jobs.ok")
        let image = f.root.appendingPathComponent("chip.fits").path
        try makeImage(image)
        let job = try stampJob(f, req, outdir, rownum: 1, image: image, center: .pixel(x: 50, y: 40))
        let runner = JobRunner(database: f.database, settings: f.settings)
        #expect(try await runner.pending(limit: 10).map(\.key) == ["job:\(job)"])
        #expect(try runner.run(jobID: job) == .stopped(.success))
        #expect(try f.job(job).state == .stop)
        #expect(try f.job(job).fault == .success)
        #expect(
            !FileManager.default.fileExists(atPath: outdir.appendingPathComponent("reglist\(job)").path),
            "the registration list is the job's row in the request database, not a file")
        let reglist = try #require(try f.database.jobOutputs.all(reqID: req)[job])
        let fields = reglist.split(separator: "\n").first?.split(separator: "|", omittingEmptySubsequences: false) ?? []
        #expect(fields.count == 5)
        #expect(fields.first == "1_1_X_chip.fits")
        #expect(fields.count > 3 && fields[2].count == 32, "an md5 sum")
        #expect(fields.count > 3 && fields[3] == "pstamp")
        let stamp = try FITSFile.open(outdir.appendingPathComponent("1_1_X_chip.fits").path)
        defer { stamp.closeQuietly() }
        _ = try stamp.moveTo(hdu: try stamp.hduCount())
        #expect(try stamp.imageSize() == (width: 20, height: 10))
        // Completed once: a second attempt finds nothing to do.
        #expect(try runner.run(jobID: job) == .notRunnable)
        #expect(try await runner.pending(limit: 10).isEmpty)
    }

    @Test("result codes stop the job: 28 for a region off the image, 25 for a missing input file")
    func reportedCodes() throws {
        let f = try PipelineFixture()
        defer { f.cleanup() }
        let (req, outdir) = try f.runningRequest("jobs.codes")
        let image = f.root.appendingPathComponent("chip.fits").path
        try makeImage(image)
        let off = try stampJob(f, req, outdir, rownum: 1, image: image, center: .pixel(x: 5000, y: 5000))
        let missing = try stampJob(
            f, req, outdir, rownum: 2, image: f.root.appendingPathComponent("gone.fits").path,
            center: .pixel(x: 5, y: 5))
        let runner = JobRunner(database: f.database, settings: f.settings)
        #expect(try runner.run(jobID: off) == .stopped(.noOverlap))
        #expect(try runner.run(jobID: missing) == .stopped(.notAvailable))
        #expect(try f.job(off).state == .stop)
        #expect(try f.job(missing).fault == .notAvailable)
    }

    @Test("a system failure leaves the job run with a fault below 10 and one more fault_count")
    func systemFault() async throws {
        let f = try PipelineFixture()
        defer { f.cleanup() }
        let (req, outdir) = try f.runningRequest("jobs.sys")
        // No parameters record: a programming error (4), retryable.
        let job = try f.database.jobs.add(NewJob(reqID: req, rownum: "1", outputBase: outdir.path + "/1_1_X_none"))
        let runner = JobRunner(database: f.database, settings: f.settings)
        #expect(try runner.run(jobID: job) == .faulted(.progError))
        let record = try f.job(job)
        #expect(record.state == .run)
        #expect(record.fault == .progError)
        #expect(record.faultCount == 1)
        #expect(try await runner.pending(limit: 10).isEmpty, "a faulted job waits for the reverter")
    }

    @Test("a parameters record is one flat JSON object (the image's files beside the other fields) and reads back as written")
    func parametersRecordLayout() throws {
        let f = try PipelineFixture()
        defer { f.cleanup() }
        var files = ImageFiles(image: "/i/x.fits", mask: "/i/x.mk.fits", psf: "/i/x.psf")
        files.jpeg = "/i/x.jpg"
        var params = JobParameters(
            rownum: 2, jobType: .getImage, stage: .warp, files: files, center: .sky(ra: 10, dec: -5), width: 3, height: 4,
            sizeInPixels: false, optionMask: 1, expName: "o5000g0100o")
        params.dateobs = "2009-06-01 10:11:12"
        let base = f.root.appendingPathComponent("1_1_r_warp").path
        try params.write(outputBase: base)
        let object = try #require(
            try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: base + ".params.json"))) as? [String: Any])
        #expect(object["image"] as? String == "/i/x.fits" && object["jpeg"] as? String == "/i/x.jpg")
        #expect(object["stage"] as? String == "warp" && object["jobType"] as? String == "get_image")
        #expect(object["files"] == nil)
        #expect(try JobParameters.read(outputBase: base) == params)
    }

    @Test("a parameters record naming a stage this server does not know faults the job (4): it is never cut as a chip")
    func unknownStage() throws {
        let f = try PipelineFixture()
        defer { f.cleanup() }
        let (req, outdir) = try f.runningRequest("jobs.stage")
        let image = f.root.appendingPathComponent("chip.fits").path
        try makeImage(image)
        let job = try stampJob(f, req, outdir, rownum: 1, image: image, center: .pixel(x: 50, y: 40))
        let base = try #require(try f.job(job).outputBase)
        let record = URL(fileURLWithPath: JobParameters.path(outputBase: base))
        let text = try String(contentsOf: record, encoding: .utf8)
        #expect(text.contains("\"chip\""))
        try Data(text.replacingOccurrences(of: "\"chip\"", with: "\"skycal\"").utf8).write(to: record)
        #expect(try JobRunner(database: f.database, settings: f.settings).run(jobID: job) == .faulted(.progError))
        #expect(try f.job(job).state == .run)
        #expect(!FileManager.default.fileExists(atPath: base + ".fits"), "no stamp cut")
    }

    @Test("jobs of a request that is not run, or whose dependent is not full, are not runnable")
    func notRunnable() async throws {
        let f = try PipelineFixture()
        defer { f.cleanup() }
        let (req, outdir) = try f.runningRequest("jobs.wait")
        let dep = try f.database.dependents.getDependent(
            DependentKey(stage: .warp, stageID: 7, component: "skycell.1", imagedb: "gpc1"), outdir: outdir.path)
        guard case .created(let depID) = dep else { Issue.record("no dependent"); return }
        var new = NewJob(reqID: req, rownum: "1", outputBase: outdir.path + "/1_1")
        new.depID = depID
        let job = try f.database.jobs.add(new)
        let runner = JobRunner(database: f.database, settings: f.settings)
        #expect(try runner.run(jobID: job) == .notRunnable)
        #expect(try f.job(job).state == .run)
        try f.database.dependents.update(depID: depID, state: .full)
        #expect(try await runner.pending(limit: 10).map(\.key) == ["job:\(job)"])
    }
}
