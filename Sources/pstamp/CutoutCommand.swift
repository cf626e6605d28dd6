import ArgumentParser
import Cutout
import FITS
import Foundation
import PStampCore

/// `pstamp cutout`: stamps from one image, for users and for benchmarks. The source stays open across
/// the stamps and every core is used.
struct CutoutCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "cutout",
        abstract: "Cut postage stamps from one image (and its mask and variance).",
        discussion: """
            Pixel centres are 0-based pixel coordinates as in IPP requests (FITS pixel = x + 1). Sky centres are \
            decimal degrees or HH:MM:SS ±DD:MM:SS. A positions file has one `ra dec` (or, with --coords pixel, \
            `x y`) per line; blank lines and lines starting with # are skipped. Stamps are named \
            <line>_1_<filter letter>_<image base>.fits (.mk.fits, .wt.fits, .jpg). Each stamp prints one line: \
            `<n> <code> <file or message>`. Exit status: 0, or the PStamp code of a single failed stamp \
            (28 no overlap, 30 no valid pixels).
            """
    )

    @Option(help: "The image (uncompressed or tile-compressed FITS).") var image: String
    @Option(help: "Its mask.") var mask: String?
    @Option(help: "Its variance.") var variance: String?
    @Option(parsing: .upToNextOption, help: "Sky centre: RA DEC.") var sky: [String] = []
    @Option(parsing: .upToNextOption, help: "Pixel centre: X Y (0-based).") var pixel: [String] = []
    @Option(help: "File of centres, one per line.") var positions: String?
    @Option(help: "Coordinates in the positions file: sky or pixel.") var coords: String = "sky"
    @Flag(help: "Cut the whole image.") var whole = false
    @Option(help: "Size W[xH][px|arcsec], e.g. 100, 120x80, 30arcsec.") var size: String?
    @Option(help: "Output directory (created if missing).") var outdir: String
    @Flag(help: "Also write a JPEG preview.") var jpeg = false
    @Flag(help: "Write plain FITS instead of RICE/GZIP-compressed extension 1.") var uncompressed = false
    @Flag(name: .customLong("center-off-chip"), help: "Cut even when the centre is off the image (OPTION_MASK 8192).")
    var centerOffChip = false
    @Flag(name: .customLong("fit-tan"), help: "Replace the WCS by a linear TAN fitted over each stamp.")
    var fitTAN = false
    @Option(help: "Worker threads (default: all cores).") var threads: Int?
    @Flag(help: "Open the image again for every stamp (benchmark of the one-stamp-per-process case).")
    var reopen = false

    func run() throws {
        let started = Date()
        let requests: [StampRequest]
        do { requests = try makeRequests() } catch let e as PStampError {
            FileHandle.standardError.write(Data("pstamp cutout: \(e.message)\n".utf8))
            throw ExitCode(Int32(e.code.rawValue))
        }
        try FileManager.default.createDirectory(atPath: outdir, withIntermediateDirectories: true)
        var products: Set<StampProduct> = [.image]
        if mask != nil { products.insert(.mask) }
        if variance != nil { products.insert(.variance) }
        if jpeg { products.insert(.jpeg) }
        let options = StampOptions(
            products: products, compressed: !uncompressed, centerOffChip: centerOffChip,
            forceTANFit: fitTAN)
        let batch = BatchCutout(
            imagePath: image, maskPath: mask, variancePath: variance, options: options,
            threads: threads ?? ProcessInfo.processInfo.activeProcessorCount, reopen: reopen)
        let results: [Result<StampResult, PStampError>]
        do { results = try batch.run(requests) } catch let e as PStampError {
            FileHandle.standardError.write(Data("pstamp cutout: \(e.description)\n".utf8))
            throw ExitCode(Int32(e.code.rawValue))
        }
        var out = ""
        var failures: [PStampError] = []
        for (n, r) in results.enumerated() {
            switch r {
            case .success(let s):
                var line = "\(n + 1) 0 \(s.files.joined(separator: " "))"
                if let e = s.fitErrorPixels { line += String(format: " fit_error=%.4fpx", e) }
                out += line + "\n"
            case .failure(let e):
                failures.append(e)
                out += "\(n + 1) \(e.code.rawValue) \(e.code.errorString): \(e.message)\n"
            }
        }
        FileHandle.standardOutput.write(Data(out.utf8))
        let seconds = Date().timeIntervalSince(started)
        let ok = results.count - failures.count
        FileHandle.standardError.write(
            Data(
                String(
                    format: "pstamp cutout: %d stamps written, %d failed, %.3f s (%.1f stamps/s)\n",
                    ok, failures.count, seconds, Double(ok) / max(seconds, 1e-9)
                ).utf8))
        if results.count == 1, let e = failures.first { throw ExitCode(Int32(e.code.rawValue)) }
    }

    private func makeRequests() throws -> [StampRequest] {
        let given = [!sky.isEmpty, !pixel.isEmpty, positions != nil, whole].filter { $0 }.count
        guard given == 1 else {
            throw PStampError(.invalidRequest, "give exactly one of --sky RA DEC, --pixel X Y, --positions FILE, --whole")
        }
        let stampSize: StampSize?
        if whole {
            stampSize = nil
        } else {
            guard let size else { throw PStampError(.invalidRequest, "--size is required (e.g. --size 100)") }
            stampSize = try RegionParsing.size(size)
        }
        let filter = Self.filter(of: image)
        func base(_ n: Int) -> String {
            (outdir as NSString).appendingPathComponent(
                StampNaming.outputBase(rowNumber: n, jobNumber: 1, filter: filter, sourceFile: image))
        }
        if whole { return [StampRequest(center: nil, size: nil, outputBase: base(1))] }
        if !sky.isEmpty {
            guard sky.count == 2 else { throw PStampError(.invalidRequest, "--sky needs RA and DEC") }
            return [StampRequest(center: try Self.skyCenter(sky[0], sky[1]), size: stampSize, outputBase: base(1))]
        }
        if !pixel.isEmpty {
            guard pixel.count == 2 else { throw PStampError(.invalidRequest, "--pixel needs X and Y") }
            return [StampRequest(center: try Self.pixelCenter(pixel[0], pixel[1]), size: stampSize, outputBase: base(1))]
        }
        guard coords == "sky" || coords == "pixel" else {
            throw PStampError(.invalidRequest, "--coords must be sky or pixel, not \(coords)")
        }
        guard let text = try? String(contentsOfFile: positions!, encoding: .utf8) else {
            throw PStampError(.invalidRequest, "cannot read the positions file \(positions!)")
        }
        var requests: [StampRequest] = []
        for (i, line) in text.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
            let fields = line.split(whereSeparator: { $0 == " " || $0 == "\t" || $0 == "," }).map(String.init)
            if fields.isEmpty || fields[0].hasPrefix("#") { continue }
            guard fields.count >= 2 else {
                throw PStampError(.invalidRequest, "\(positions!) line \(i + 1): expected two coordinates")
            }
            do {
                let c =
                    coords == "sky"
                    ? try Self.skyCenter(fields[0], fields[1])
                    : try Self.pixelCenter(fields[0], fields[1])
                requests.append(StampRequest(center: c, size: stampSize, outputBase: base(requests.count + 1)))
            } catch let e as PStampError {
                throw PStampError(e.code, "\(positions!) line \(i + 1): \(e.message)")
            }
        }
        return requests
    }

    static func skyCenter(_ ra: String, _ dec: String) throws -> StampCenter {
        .sky(ra: try RegionParsing.rightAscension(ra), dec: try RegionParsing.declination(dec))
    }

    static func pixelCenter(_ x: String, _ y: String) throws -> StampCenter {
        guard let px = Double(x), let py = Double(y), px.isFinite, py.isFinite else {
            throw PStampError(.invalidRequest, "invalid pixel centre '\(x) \(y)'")
        }
        return .pixel(x: px, y: py)
    }

    /// The image's FILTER keyword, for the stamp names (X when absent).
    static func filter(of path: String) -> String? {
        guard let f = try? FITSFile.open(path, extendedSyntax: false) else { return nil }
        defer { f.closeQuietly() }
        for hdu in 1...max(1, (try? f.hduCount()) ?? 1) {
            if (try? f.moveTo(hdu: hdu)) == nil { break }
            if let v = try? f.readString("FILTER"), !v.isEmpty { return v }
        }
        return nil
    }
}
