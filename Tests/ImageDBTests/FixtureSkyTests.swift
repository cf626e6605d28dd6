import Foundation
import PStampCore
import Testing

@testable import ImageDB

/// The committed fixture sky: its database answers every sample request, and `pstamp fixtures build`
/// remakes it byte for byte.
@Suite struct FixtureSkyTests {
    /// The package root (tests run from it; fall back to this file's location).
    static var packageRoot: URL {
        let cwd = URL(fileURLWithPath: FileManager.default.currentDirectoryPath)
        if FileManager.default.fileExists(atPath: cwd.appendingPathComponent("fixtures/gpc1.sqlite").path) { return cwd }
        return URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
    }
    static var fixtures: URL { packageRoot.appendingPathComponent("fixtures") }

    /// The ImageQuery a sample request row asks (the parser's mapping, done here by field position).
    static func query(_ s: FixtureRequests.Sample) -> ImageQuery {
        let f = s.fields
        let option = Int(f[6]) ?? 0
        let sky = (Int(f[4]) ?? 0) & 1 == 0 && (Double(f[0]) ?? 0) != 0
        return ImageQuery(
            requestType: RequestType(rawValue: f[10])!, imageType: ImageType(rawValue: f[11])!, id: f[12],
            skyCenter: sky ? SkyPoint(ra: Double(f[0])!, dec: Double(f[1])!) : nil, component: f[14], tessID: f[13],
            dataGroup: f[15], filter: f[16], mjdMin: Double(f[17]) ?? 0, mjdMax: Double(f[18]) ?? 0, runType: f[19],
            fwhmMin: Double(f[20]) ?? 0, fwhmMax: Double(f[21]) ?? 0, surveyName: f[8], ippRelease: f[9],
            useImfileID: option & 16384 != 0, inverse: option & 1024 != 0, unconvolved: option & 2048 != 0)
    }

    @Test func everySampleRequestFindsImagesInTheCommittedDatabase() throws {
        let db = try SQLiteImageDatabase(path: Self.fixtures.appendingPathComponent("gpc1.sqlite").path, readonly: true)
        let datapath = [FixtureSky.datapathName: Self.fixtures.path]
        var combinations = Set<String>()
        for sample in FixtureRequests.samples {
            let images = try db.locate(Self.query(sample))
            #expect(!images.isEmpty, "\(sample.name)")
            combinations.insert("\(sample.requestType) \(sample.imageType)")
            // Images that are full are on disk; cleaned ones are in the archive, to be regenerated.
            for image in images where image.dataState == "full" && image.runState != "error_cleaned" {
                let file = try ImagePaths.resolve(image.files.image, datapath: datapath)
                #expect(FileManager.default.fileExists(atPath: file), "\(sample.name): \(file)")
            }
        }
        #expect(combinations.count == 25)
        let text = try String(contentsOf: Self.fixtures.appendingPathComponent("requests/fixture.chip.byid.txt"), encoding: .utf8)
        #expect(text.contains("fixture.chip.byid 2 PROCESS fixture@example.org"))
    }

    @Test func cleanedComponentsAreInTheArchiveWithChecksums() throws {
        let sums = try String(contentsOf: Self.fixtures.appendingPathComponent("archive/SHA256SUMS"), encoding: .utf8)
        // chip 212 (cleaned run), chip 213 XY34 (cleaned in a goto_cleaned run), warp 502, diff 30602, stack 30102.
        for part in [
            ".ch.212.XY33.ch.fits", ".ch.213.XY34.ch.fits", ".wrp.502.skycell.1405.044.fits", ".dif.30602.fits", ".stk.30102.fits",
        ] {
            #expect(sums.contains(part), "\(part)")
        }
        // Purged, error_cleaned and fault-26-only components are not archived.
        #expect(!sums.contains(".ch.202."))
        #expect(!sums.contains(".wrp.503."))
    }

    @Test func footprintsInTheCommittedDatabaseComeFromTheImageHeaders() throws {
        let db = try SQLiteImageDatabase(path: Self.fixtures.appendingPathComponent("gpc1.sqlite").path, readonly: true)
        let chips = try db.footprints(stage: .exp, stageID: 101)
        #expect(chips.map(\.component) == ["XY33", "XY34", "XY43", "XY44"])
        #expect(chips.first?.wcsHeader.contains("A_2_0") == true)  // the SIP chip
        let cells = try db.footprints(stage: .skycell, tessID: FixtureSky.tessID)
        #expect(cells.count == 4 && cells.allSatisfy { $0.naxis1 == FixtureSky.skycellSize })
        let expected = try FixtureRows.footprints()
        for cell in cells {
            let e = try #require(expected.first { $0.component == cell.component })
            #expect(cell.center.distance(to: e.center) < 1e-9)
        }
    }

    @Test func buildingAgainGivesTheSameBytes() throws {
        let tmp = FileManager.default.temporaryDirectory.appendingPathComponent("pstamp-fixtures-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: tmp) }
        _ = try FixtureBuilder(root: tmp).build()
        let fm = FileManager.default
        let built = Set(
            (fm.enumerator(atPath: tmp.path)?.allObjects as? [String] ?? []).filter {
                var dir: ObjCBool = false
                return fm.fileExists(atPath: tmp.appendingPathComponent($0).path, isDirectory: &dir) && !dir.boolValue
            })
        #expect(built.count > 150)
        for file in built.sorted() {
            let committed = try Data(contentsOf: Self.fixtures.appendingPathComponent(file))
            let again = try Data(contentsOf: tmp.appendingPathComponent(file))
            #expect(committed == again, "\(file) differs from the committed fixture")
        }
    }
}
