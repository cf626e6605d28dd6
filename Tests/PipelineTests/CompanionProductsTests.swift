import FITS
import Foundation
import ImageDB
import PStampCore
import RequestDB
import Testing

@testable import Pipeline

/// The products of OPTION_MASK beyond image/mask/variance/JPEG, made by a real job on real files.
@Suite("Companion products: sources, PSF and background copies, stack exposure maps")
struct CompanionProductsTests {
    static let width = 200, height = 100

    static func image(_ path: String, value: (Int, Int) -> Float) throws {
        let pixels = (0..<(width * height)).map { value($0 % width, $0 / width) }
        let f = try FITSFile.create(path, overwrite: true)
        try f.appendImage(pixels, width: width, height: height)
        try f.close()
    }

    /// A catalogue: empty primary, a detections table with PSF positions, a metadata table without.
    static func catalogue(_ path: String, xs: [Double], ys: [Double]) throws {
        let f = try FITSFile.create(path, overwrite: true)
        try f.appendEmptyPrimary()
        try f.write("PSPHOT", "fixture")
        try f.appendBinaryTable(
            extname: "SkyChip.psf",
            columns: [
                TableColumn("IPP_IDET", "J"), TableColumn("X_PSF", "E"),
                TableColumn("Y_PSF", "E"), TableColumn("PSF_INST_MAG", "E"),
            ], rows: xs.count)
        try f.writeColumn("IPP_IDET", Array(1...xs.count))
        try f.writeColumn("X_PSF", xs)
        try f.writeColumn("Y_PSF", ys)
        try f.writeColumn("PSF_INST_MAG", xs.map { _ in -12.5 })
        try f.appendBinaryTable(extname: "SkyChip.hdr", columns: [TableColumn("NAME", "16A")], rows: 2)
        try f.writeColumn("NAME", ["seeing", "zeropoint"])
        try f.close()
    }

    func job(
        _ f: PipelineFixture, _ req: Int64, _ outdir: URL, stage: ImageType, optionMask: Int, files: [String: String],
        center: (Double, Double)
    ) throws -> (Int64, String) {
        let base = outdir.appendingPathComponent("1_1_r_stack.image").path
        var params = JobParameters(
            rownum: 1, stage: stage, files: ImageFiles(image: files["image"]!), center: .pixel(x: center.0, y: center.1),
            width: 40, height: 20, sizeInPixels: true, optionMask: optionMask, filter: "r.00000")
        params.files.sources = files["cmf"]; params.files.psf = files["psf"]; params.files.backgroundModel = files["mdl"]
        params.files.expMap = files["exp"]; params.files.numMap = files["num"]
        try params.write(outputBase: base)
        return (try f.database.jobs.add(NewJob(reqID: req, rownum: "1", outputBase: base)), base)
    }

    @Test("a stack job with bits 1+8+16+128+256 cuts the catalogue and the maps to the stamp and copies the PSF whole")
    func stackProducts() throws {
        let f = try PipelineFixture()
        defer { f.cleanup() }
        let (req, outdir) = try f.runningRequest("companions.stack")
        let dir = f.root.appendingPathComponent("images")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        var files: [String: String] = [:]
        for (key, name) in [
            ("image", "stack.image.fits"), ("cmf", "stack.cmf"), ("psf", "stack.target.psf"),
            ("exp", "stack.exp.fits"), ("num", "stack.num.fits"),
        ] { files[key] = dir.appendingPathComponent(name).path }
        try Self.image(files["image"]!) { x, y in Float(x + 1000 * y) }
        try Self.image(files["exp"]!) { x, y in Float(30 * ((x + y) % 7)) }
        try Self.image(files["num"]!) { x, _ in Float(x % 5) }
        // The stamp covers x 80..<120, y 40..<60 (centre 100, 50; 40×20): grown by 16 it is x 64..<136, y 24..<76.
        try Self.catalogue(files["cmf"]!, xs: [100.5, 81, 70, 150, 10, 135.9], ys: [50.5, 59, 30, 50, 10, 75.9])
        try Data("PSF model".utf8).write(to: URL(fileURLWithPath: files["psf"]!))

        let (jobID, base) = try job(f, req, outdir, stage: .stack, optionMask: 1 + 8 + 16 + 128 + 256, files: files, center: (100, 50))
        let runner = JobRunner(database: f.database, settings: f.settings)
        #expect(try runner.run(jobID: jobID) == .stopped(.success))

        // Sources: the four within the grown stamp, positions in stamp pixels; the metadata table whole.
        let cmf = try FITSFile.open(base + ".cmf")
        defer { cmf.closeQuietly() }
        #expect(try cmf.hduCount() == 3)
        #expect(try cmf.readString("PSPHOT") == "fixture")
        _ = try cmf.moveTo(hdu: 2)
        #expect(try cmf.readIntegers("IPP_IDET") == [1, 2, 3, 6])
        #expect(try cmf.readDoubles("X_PSF").map { ($0 * 10).rounded() / 10 } == [20.5, 1, -10, 55.9])
        #expect(try cmf.readDoubles("Y_PSF").map { ($0 * 10).rounded() / 10 } == [10.5, 19, -10, 35.9])
        #expect(try cmf.readInt("PSTAMPX0") == 80)
        _ = try cmf.moveTo(hdu: 3)
        #expect(try cmf.readStrings("NAME") == ["seeing", "zeropoint"])

        // The PSF model: copied whole, named after the original, registered as `fits`.
        let psfCopy = outdir.appendingPathComponent("1_1_r_stack.target.psf")
        #expect(try Data(contentsOf: psfCopy) == Data("PSF model".utf8))

        // The maps: the image stamp's pixels of each map, GZIP-compressed in extension 1 (lossless).
        for (suffix, value) in [
            (".exp.fits", { (x: Int, y: Int) in Float(30 * ((x + y) % 7)) }),
            (".num.fits", { (x: Int, _: Int) in Float(x % 5) }),
        ] {
            let map = try FITSFile.open(base + suffix)
            defer { map.closeQuietly() }
            _ = try map.moveTo(hdu: 2)
            #expect(try map.isCompressedImage())
            #expect(try map.imageSize() == (width: 40, height: 20))
            let expected = (0..<800).map { value(80 + $0 % 40, 40 + $0 / 40) }
            #expect(try map.readImage() == expected, "\(suffix) holds the map's pixels under the stamp")

        }

        let reglist = try #require(try f.database.jobOutputs.all(reqID: req)[jobID])
        let listed = reglist.split(separator: "\n").map { line -> (String, String) in
            let fields = line.split(separator: "|", omittingEmptySubsequences: false).map(String.init)
            return (fields[0], fields[3])
        }
        #expect(
            listed.map(\.0) == [
                "1_1_r_stack.image.fits", "1_1_r_stack.image.cmf", "1_1_r_stack.target.psf",
                "1_1_r_stack.image.exp.fits", "1_1_r_stack.image.num.fits",
            ])
        #expect(listed.map(\.1) == ["pstamp", "pstamp", "fits", "pstamp", "pstamp"])
    }

    @Test("a product whose file the image has not (no background model) is left out; the stamp is still made")
    func missingCompanion() throws {
        let f = try PipelineFixture()
        defer { f.cleanup() }
        let (req, outdir) = try f.runningRequest("companions.missing")
        let image = f.root.appendingPathComponent("chip.fits").path
        try Self.image(image) { x, _ in Float(x) }
        let (jobID, base) = try job(
            f, req, outdir, stage: .chip, optionMask: 1 + 32 + 512,
            files: ["image": image, "mdl": f.root.appendingPathComponent("chip.mdl.fits").path],
            center: (100, 50))
        #expect(try JobRunner(database: f.database, settings: f.settings).run(jobID: jobID) == .stopped(.success))
        #expect(FileManager.default.fileExists(atPath: base + ".fits"))
        let reglist = try #require(try f.database.jobOutputs.all(reqID: req)[jobID])
        #expect(reglist.split(separator: "\n").count == 1)
    }

    @Test("a stack_summary job copies the summary's files whole to the stamp names; absent optional ones are left out")
    func stackSummaryCopies() throws {
        let f = try PipelineFixture()
        defer { f.cleanup() }
        let (req, outdir) = try f.runningRequest("companions.summary")
        let base = f.root.appendingPathComponent("skycell.1405.sass.801").path
        try Self.image(base + ".image.b1.fits") { x, y in Float(x * y) }
        try Self.image(base + ".exp.b1.fits") { _, _ in 270 }
        try Data("JPEG of the summary".utf8).write(to: URL(fileURLWithPath: base + ".image.0.b1.jpeg"))
        let out = outdir.appendingPathComponent("1_1_r_skycell.1405.sass.801.image.b1").path
        var params = JobParameters(
            rownum: 1, stage: .stackSummary, files: ImageFiles(image: base + ".image.b1.fits", mask: base + ".mask.b1.fits"),
            center: nil, width: 0, height: 0, sizeInPixels: true,
            optionMask: 1 + 2 + 8 + 64 + 128 + 65536, filter: "r.00000")
        params.files.expMap = base + ".exp.b1.fits"; params.files.jpeg = base + ".image.0.b1.jpeg";
        params.files.expJPEG = base + ".exp.0.b1.jpeg"
        try params.write(outputBase: out)
        let job = try f.database.jobs.add(NewJob(reqID: req, rownum: "1", outputBase: out))
        #expect(try JobRunner(database: f.database, settings: f.settings).run(jobID: job) == .stopped(.success))
        #expect(
            try Data(contentsOf: URL(fileURLWithPath: out + ".fits")) == Data(contentsOf: URL(fileURLWithPath: base + ".image.b1.fits")))
        #expect(try Data(contentsOf: URL(fileURLWithPath: out + ".jpg")) == Data("JPEG of the summary".utf8))
        #expect(
            try Data(contentsOf: URL(fileURLWithPath: out + ".exp.fits")) == Data(contentsOf: URL(fileURLWithPath: base + ".exp.b1.fits")))
        let reglist = try #require(try f.database.jobOutputs.all(reqID: req)[job])
        // No mask file and no exposure JPEG in this summary; sources (8) are not a stack_summary product.
        #expect(
            reglist.split(separator: "\n").map { $0.split(separator: "|").first.map(String.init) ?? "" }
                == [
                    "1_1_r_skycell.1405.sass.801.image.b1.fits", "1_1_r_skycell.1405.sass.801.image.b1.jpg",
                    "1_1_r_skycell.1405.sass.801.image.b1.exp.fits",
                ])
    }

    @Test("a chip's sources come from the exposure's smf (that chip's tables) when it exists")
    func chipSourcesFromSMF() throws {
        let f = try PipelineFixture()
        defer { f.cleanup() }
        let (req, outdir) = try f.runningRequest("companions.smf")
        let image = f.root.appendingPathComponent("chip.fits").path, smf = f.root.appendingPathComponent("exp.smf").path
        try Self.image(image) { x, _ in Float(x) }
        let s = try FITSFile.create(smf, overwrite: true)
        try s.appendEmptyPrimary()
        for chip in ["XY01", "XY43"] {
            try s.appendBinaryTable(extname: "\(chip).psf", columns: [TableColumn("X_PSF", "E"), TableColumn("Y_PSF", "E")], rows: 1)
            try s.writeColumn("X_PSF", [100.0])
            try s.writeColumn("Y_PSF", [50.0])
        }
        try s.close()
        let base = outdir.appendingPathComponent("1_1_r_chip").path
        var params = JobParameters(
            rownum: 1, stage: .chip, component: "XY43", files: ImageFiles(image: image), center: .pixel(x: 100, y: 50),
            width: 40, height: 20, sizeInPixels: true, optionMask: 1 + 8, filter: "r")
        params.files.astrometry = smf
        try params.write(outputBase: base)
        let job = try f.database.jobs.add(NewJob(reqID: req, rownum: "1", outputBase: base))
        #expect(try JobRunner(database: f.database, settings: f.settings).run(jobID: job) == .stopped(.success))
        let cmf = try FITSFile.open(base + ".cmf")
        defer { cmf.closeQuietly() }
        #expect(try cmf.hduCount() == 2)
        _ = try cmf.moveTo(hdu: 2)
        #expect(try cmf.readString("EXTNAME") == "XY43.psf")
        #expect(try cmf.readDoubles("X_PSF") == [20])
    }

    @Test("RESTORE_BACKGROUND (4096) is answered 31 rather than with an unrestored stamp, for every stage")
    func restoreBackgroundIsRefused() throws {
        let f = try PipelineFixture()
        defer { f.cleanup() }
        let (req, outdir) = try f.runningRequest("companions.bg")
        let image = f.root.appendingPathComponent("chip.fits").path
        try Self.image(image) { x, _ in Float(x) }
        for (n, stage) in [ImageType.chip, .stack, .warp].enumerated() {
            let base = outdir.appendingPathComponent("\(n + 1)_1_r_chip").path
            try JobParameters(
                rownum: n + 1, stage: stage, files: ImageFiles(image: image), center: .pixel(x: 100, y: 50), width: 40, height: 20,
                sizeInPixels: true, optionMask: 1 + 4096
            ).write(outputBase: base)
            let job = try f.database.jobs.add(NewJob(reqID: req, rownum: String(n + 1), outputBase: base))
            #expect(
                try JobRunner(database: f.database, settings: f.settings).run(jobID: job) == .stopped(.bgRestoreNotAvailable), "\(stage)")
            #expect(!FileManager.default.fileExists(atPath: base + ".fits"), "\(stage): no unrestored stamp")
        }
    }
}
