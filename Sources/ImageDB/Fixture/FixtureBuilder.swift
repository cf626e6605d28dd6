import FITS
import Foundation

/// Builds the fixture sky into a directory (`pstamp fixtures build`): the images under `gpc1/` at the
/// paths the rows name (`path://FIXTURES/…` with FIXTURES = the directory), the gpc1 database
/// `gpc1.sqlite` (rows + footprints read back from the written headers), sample request texts under
/// `requests/`, and under `archive/` the cleaned components (same relative paths) with `SHA256SUMS`,
/// from which an update can regenerate them. Fixed seeds, no dates, no checksum cards: rebuilding
/// gives the same bytes.
public struct FixtureBuilder {
    public let root: URL
    public init(root: URL) { self.root = root }

    public struct Summary: Sendable { public var files: Int; public var bytes: Int }

    /// Data states whose files are on disk; cleaned and update components live only in the archive.
    static let onDisk: Set<String> = ["full", "goto_cleaned"]
    static let archived: Set<String> = ["cleaned", "update"]
    /// Float images: RICE row tiles as the IPP writes them, quantised to σ/4 (the IPP keeps σ/16) to keep the fixtures small.
    static let imageCompression = ImageCompression.rice(tiles: .rows, quantizeLevel: 4)

    public func build() throws -> Summary {
        let fm = FileManager.default
        for sub in ["gpc1", "archive", "requests"] {
            try? fm.removeItem(at: root.appendingPathComponent(sub))
        }
        try? fm.removeItem(at: root.appendingPathComponent("gpc1.sqlite"))
        try fm.createDirectory(at: root, withIntermediateDirectories: true)

        try writeRaw()
        try writeChips()
        try writeWarps()
        try writeStacks()
        try writeDiffs()
        try writeDatabase()
        try FixtureRequests.write(to: root.appendingPathComponent("requests"))
        try writeArchiveSums()
        try FixtureReadme.text.write(to: root.appendingPathComponent("README.md"), atomically: false, encoding: .utf8)

        var files = 0, bytes = 0
        if let e = fm.enumerator(at: root, includingPropertiesForKeys: [.fileSizeKey, .isRegularFileKey]) {
            for case let url as URL in e {
                let v = try url.resourceValues(forKeys: [.fileSizeKey, .isRegularFileKey])
                if v.isRegularFile == true { files += 1; bytes += v.fileSize ?? 0 }
            }
        }
        return Summary(files: files, bytes: bytes)
    }

    /// `path://FIXTURES/gpc1/x` -> `<root>/gpc1/x`, or `<root>/archive/gpc1/x` for archived components.
    func path(_ uri: String, archived: Bool = false) -> String {
        let relative = String(uri.dropFirst("path://\(FixtureSky.datapathName)/".count))
        return root.appendingPathComponent(archived ? "archive/" + relative : relative).path
    }

    static func state(_ dataState: String) -> (write: Bool, archive: Bool) {
        (onDisk.contains(dataState) || archived.contains(dataState), archived.contains(dataState))
    }

    // MARK: raw: one file per chip, 2×2 cells of 300×300 (16-bit, bias 1000), chip WCS in the primary header

    func writeRaw() throws {
        let n = FixtureSky.chipSize, half = n / 2
        for e in FixtureSky.exposures {
            for chip in FixtureSky.chips {
                let wcs = FixtureSky.chipWCS(e, classID: chip.classID)
                let pixels = try FixturePixels.render(
                    width: n, height: n, wcsHeader: wcs, sky: 400, noise: 8,
                    seed: e.seed &* 1000 &+ UInt64(chip.classID.hashValueStable))
                let file = path(FixtureRows.rawURI(e, chip.classID))
                try FileManager.default.createDirectory(
                    atPath: (file as NSString).deletingLastPathComponent, withIntermediateDirectories: true)
                let f = try FITSFile.create(file, overwrite: true)
                do {
                    try f.appendEmptyPrimary()
                    try FixturePixels.writeCards(
                        f, wcsHeader: wcs,
                        keywords: [
                            ("EXPNAME", e.name), ("CLASS_ID", chip.classID),
                            ("FILTER", e.filter), ("DATE-OBS", e.dateobs.replacingOccurrences(of: " ", with: "T")),
                        ])
                    for (cx, cy) in [(0, 0), (1, 0), (0, 1), (1, 1)] {
                        var cell = [UInt16](repeating: 0, count: half * half)
                        for y in 0..<half {
                            for x in 0..<half {
                                let v = Double(pixels[(cy * half + y) * n + cx * half + x]) + 1000
                                cell[y * half + x] = UInt16(max(0, min(65535, v.rounded())))
                            }
                        }
                        try f.appendImage(cell, width: half, height: half, compression: .rice(tiles: .rows), extname: "xy\(cx)\(cy)")
                        // Where the cell lands in the chip (the stamp engine's cell-mosaic convention).
                        try f.write("DATASEC", "[1:\(half),1:\(half)]", comment: "data pixels of this cell")
                        try f.write(
                            "DETSEC", "[\(cx * half + 1):\((cx + 1) * half),\(cy * half + 1):\((cy + 1) * half)]",
                            comment: "where the data pixels land in the chip")
                    }
                    try f.close()
                } catch { f.closeQuietly(); throw error }
            }
        }
    }

    // MARK: chips (image, variance) and camera-stage masks

    func writeChips() throws {
        let n = FixtureSky.chipSize
        for run in FixtureRows.chipRuns {
            let e = FixtureRows.exposure(run.expID)
            for chip in FixtureSky.chips {
                guard let c = run.components[chip.classID] else { continue }
                let (write, archive) = Self.state(c.dataState)
                guard write else { continue }
                let base = FixtureRows.chipBase(e, chipID: run.chipID) + ".\(chip.classID)"
                let wcs = FixtureSky.chipWCS(e, classID: chip.classID)
                let kw = [("EXPNAME", e.name), ("CLASS_ID", chip.classID), ("FILTER", e.filter)]
                let image = try FixturePixels.render(
                    width: n, height: n, wcsHeader: wcs, sky: 100, noise: 10,
                    seed: e.seed &* 7919 &+ UInt64(run.chipID) &* 31 &+ UInt64(chip.classID.hashValueStable),
                    stars: starsFor(e))
                try FixturePixels.write(
                    image, to: path(base + ".ch.fits", archived: archive), width: n, height: n,
                    wcsHeader: wcs, compression: Self.imageCompression, keywords: kw)
                let variance = try FixturePixels.variance(width: n, height: n, wcsHeader: wcs, noise: 10)
                try FixturePixels.write(
                    variance, to: path(base + ".ch.wt.fits", archived: archive), width: n, height: n,
                    wcsHeader: wcs, compression: Self.imageCompression, keywords: kw)
            }
        }
        for cam in FixtureRows.camRuns {
            let run = FixtureRows.chipRuns.first { $0.chipID == cam.chipID }!
            let e = FixtureRows.exposure(run.expID)
            for chip in FixtureSky.chips {
                let mask = FixturePixels.mask(width: n, height: n, seed: UInt64(cam.camID) &* 13 &+ UInt64(chip.classID.hashValueStable))
                try FixturePixels.write(
                    mask, to: path(FixtureRows.camBase(e, camID: cam.camID) + ".\(chip.classID).mk.fits"),
                    width: n, height: n, wcsHeader: FixtureSky.chipWCS(e, classID: chip.classID),
                    compression: .ippMask, keywords: [("EXPNAME", e.name), ("CLASS_ID", chip.classID)])
            }
        }
    }

    /// Exposure 104 also shows the transient.
    func starsFor(_ e: FixtureSky.Exposure) -> [FixtureStar] {
        e.expID == 104 ? FixturePixels.stars + [FixturePixels.transient] : FixturePixels.stars
    }

    /// image, mask, variance of a skycell product at `base`.
    func writeSkycellSet(
        base: String, skycell: String, archive: Bool, sky: Double, noise: Double, seed: UInt64,
        stars: [FixtureStar], starScale: Double = 1, keywords: [(String, String)], suffix: String = ""
    ) throws {
        let n = FixtureSky.skycellSize
        let wcs = FixtureSky.skycellWCS(skycell)
        let image = try FixturePixels.render(
            width: n, height: n, wcsHeader: wcs, sky: sky, noise: noise, seed: seed,
            starScale: starScale, stars: stars)
        try FixturePixels.write(
            image, to: path("\(base)\(suffix).fits", archived: archive), width: n, height: n, wcsHeader: wcs,
            compression: Self.imageCompression, keywords: keywords)
        try FixturePixels.write(
            FixturePixels.mask(width: n, height: n, seed: seed), to: path("\(base)\(suffix).mask.fits", archived: archive),
            width: n, height: n, wcsHeader: wcs, compression: .ippMask, keywords: keywords)
        let variance = [Float](repeating: Float(noise * noise), count: n * n)
        try FixturePixels.write(
            variance, to: path("\(base)\(suffix).wt.fits", archived: archive), width: n, height: n, wcsHeader: wcs,
            compression: Self.imageCompression, keywords: keywords)
    }

    func writeWarps() throws {
        for run in FixtureRows.warpRuns {
            let e = FixtureRows.exposure(run.expID)
            for cell in FixtureSky.skycells {
                guard let s = run.skyfiles[cell.skycellID] else { continue }
                let (write, archive) = Self.state(s.dataState)
                guard write else { continue }
                try writeSkycellSet(
                    base: FixtureRows.warpBase(e, warpID: run.warpID, skycell: cell.skycellID), skycell: cell.skycellID,
                    archive: archive, sky: 0, noise: 10, seed: UInt64(run.warpID) &* 101 &+ UInt64(cell.skycellID.hashValueStable),
                    stars: starsFor(e), keywords: [("EXPNAME", e.name), ("SKYCELL", cell.skycellID), ("TESS_ID", FixtureSky.tessID)])
            }
        }
    }

    func writeStacks() throws {
        let n = FixtureSky.skycellSize
        for s in FixtureRows.stackRuns {
            let (write, archive) = Self.state(s.state)
            guard write else { continue }
            let base = FixtureRows.stackBase(stackID: s.stackID, skycell: s.skycell)
            let kw = [("SKYCELL", s.skycell), ("TESS_ID", FixtureSky.tessID), ("FILTER", s.filter)]
            let seed = UInt64(s.stackID) &* 17
            try writeSkycellSet(
                base: base, skycell: s.skycell, archive: archive, sky: 0, noise: 4, seed: seed,
                stars: FixturePixels.stars, keywords: kw)
            if s.stackID >= GPC1Lookup.firstUnconvolvedStackID {
                try writeSkycellSet(
                    base: base, skycell: s.skycell, archive: archive, sky: 0, noise: 5, seed: seed &+ 1,
                    stars: FixturePixels.stars, keywords: kw, suffix: ".unconv")
            }
            let wcs = FixtureSky.skycellWCS(s.skycell)
            // The exposure maps are the unconvolved stack's (B.unconv.exp.fits, B.unconv.num.fits).
            try FixturePixels.write(
                [Float](repeating: 90, count: n * n), to: path(base + ".unconv.exp.fits", archived: archive),
                width: n, height: n, wcsHeader: wcs, compression: Self.imageCompression, keywords: kw)
            try FixturePixels.write(
                [Int16](repeating: 2, count: n * n), to: path(base + ".unconv.num.fits", archived: archive),
                width: n, height: n, wcsHeader: wcs, compression: .ippMask, keywords: kw)
        }
        // The stack summary (sass 801): small images of the projection cell under the summary's own
        // names, copied whole by jobs (no JPEGs: the fixture has no JPEG writer; jobs skip absent ones).
        let summary = "path://\(FixtureSky.datapathName)/gpc1/stack/\(FixtureSky.tessID)/\(FixtureSky.projectionCell).sass.801"
        let thumb: [Float] = (0..<3600).map { (i: Int) -> Float in Float((i % 60 + i / 60) % 7) }
        let keywords = [("PROJCELL", FixtureSky.projectionCell)]
        try FixturePixels.write(
            thumb, to: path(summary + ".image.b1.fits"), width: 60, height: 60, wcsHeader: nil,
            compression: .none, keywords: keywords)
        try FixturePixels.write(
            [Int16](repeating: 0, count: 3600), to: path(summary + ".mask.b1.fits"), width: 60, height: 60,
            wcsHeader: nil, compression: .ippMask, keywords: keywords)
        try FixturePixels.write(
            thumb.map { $0 + 1 }, to: path(summary + ".variance.b1.fits"), width: 60, height: 60,
            wcsHeader: nil, compression: .none, keywords: keywords)
        try FixturePixels.write(
            [Float](repeating: 270, count: 3600), to: path(summary + ".exp.b1.fits"), width: 60, height: 60,
            wcsHeader: nil, compression: .none, keywords: keywords)
        try FixturePixels.write(
            [Int16](repeating: 3, count: 3600), to: path(summary + ".num.b1.fits"), width: 60, height: 60,
            wcsHeader: nil, compression: .none, keywords: keywords)
    }

    func writeDiffs() throws {
        for d in FixtureRows.diffRuns {
            let (write, archive) = Self.state(d.dataState)
            guard write else { continue }
            let base = FixtureRows.diffBase(diffID: d.diffID, skycell: d.skycell)
            let kw = [("SKYCELL", d.skycell), ("TESS_ID", FixtureSky.tessID), ("DIFFMODE", String(d.mode))]
            // A difference holds only what changed: the transient (positive; negative in the inverse).
            try writeSkycellSet(
                base: base, skycell: d.skycell, archive: archive, sky: 0, noise: 12, seed: UInt64(d.diffID) &* 3,
                stars: [FixturePixels.transient], keywords: kw)
            if d.bothways {
                try writeSkycellSet(
                    base: base, skycell: d.skycell, archive: archive, sky: 0, noise: 12, seed: UInt64(d.diffID) &* 3 &+ 1,
                    stars: [FixturePixels.transient], starScale: -1, keywords: kw, suffix: ".inv")
            }
        }
    }

    // MARK: the database

    func writeDatabase() throws {
        let tmp = root.appendingPathComponent("gpc1.sqlite.tmp").path
        try? FileManager.default.removeItem(atPath: tmp)
        defer { try? FileManager.default.removeItem(atPath: tmp) }
        do {
            let db = try SQLiteImageDatabase(path: tmp)
            try db.migrate()
            try db.connection.transaction { try FixtureRows.insert(into: $0) }
            // Footprints are read from the written headers: chips from the raw files' primary headers,
            // skycells from warp 501's images.
            for e in FixtureSky.exposures {
                for chip in FixtureSky.chips {
                    let header = try FITSFile.withOpen(path(FixtureRows.rawURI(e, chip.classID))) { try $0.headerText() }
                    try db.register(
                        try Footprint.from(
                            wcsHeader: Footprint.wcsCards(header), naxis1: FixtureSky.chipSize,
                            naxis2: FixtureSky.chipSize, stage: .exp, stageID: e.expID, component: chip.classID))
                }
            }
            let e101 = FixtureRows.exposure(101)
            for cell in FixtureSky.skycells {
                let file = path(FixtureRows.warpBase(e101, warpID: 501, skycell: cell.skycellID) + ".fits")
                let footprint = try FITSFile.withOpen(file) { f -> Footprint in
                    if try f.hduCount() > 1 { _ = try f.moveTo(hdu: 2) }
                    return try Footprint.read(from: f, stage: .skycell, stageID: 0, component: cell.skycellID, tessID: FixtureSky.tessID)
                }
                try db.register(footprint)
            }
            try db.sqlite.vacuum(into: root.appendingPathComponent("gpc1.sqlite").path)
        }
    }

    func writeArchiveSums() throws {
        let archive = root.appendingPathComponent("archive")
        var files: [String] = []
        if let e = FileManager.default.enumerator(atPath: archive.path) {
            for case let p as String in e where p.hasSuffix(".fits") { files.append(p) }
        }
        files.sort()
        guard !files.isEmpty else { return }
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["sha256sum"] + files
        process.currentDirectoryURL = archive
        let pipe = Pipe()
        process.standardOutput = pipe
        try process.run()
        let data = pipe.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        guard process.terminationStatus == 0 else { throw SQLError("sha256sum failed in \(archive.path)") }
        try data.write(to: archive.appendingPathComponent("SHA256SUMS"))
    }
}

extension String {
    /// A hash that is the same on every run (Swift's hashValue is seeded per process).
    var hashValueStable: Int {
        var h: UInt64 = 1469598103934665603
        for b in utf8 { h = (h ^ UInt64(b)) &* 1099511628211 }
        return Int(h % 1_000_003)
    }
}
