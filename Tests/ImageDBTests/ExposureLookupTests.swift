import Foundation
import Testing

@testable import ImageDB

/// raw and chip lookups on the fixture sky, on both drivers.
@Suite struct ExposureLookupTests {
    @Test(arguments: Driver.available)
    func chipByIDWithComponentGivesItsFilesAndExposure(_ driver: Driver) throws {
        let db = try TestServer.shared(driver)
        let images = try db.locate(ImageQuery(requestType: .byid, imageType: .chip, id: "211", component: "XY33"))
        try #require(images.count == 1)
        let chip = images[0]
        #expect(chip.stage == .chip && chip.stageID == 211 && chip.component == "XY33")
        #expect(chip.expID == 101 && chip.expName == "o5000g0101o" && chip.filter == "r.00000")
        #expect(chip.dateobs == "2009-06-01 10:00:00")
        #expect(abs((chip.ra ?? 0) - 150.0) < 1e-9 && abs((chip.dec ?? 0) - 2.0) < 1e-9)
        #expect(chip.expTime == 45)
        #expect(chip.runState == "full" && chip.dataState == "full" && chip.fault == 0 && chip.quality == 0)
        let base = "path://FIXTURES/gpc1/20090601/o5000g0101o/o5000g0101o"
        #expect(chip.files.image == "\(base).ch.211.XY33.ch.fits")
        #expect(chip.files.mask == "\(base).cm.301.XY33.mk.fits")
        #expect(chip.files.variance == "\(base).ch.211.XY33.ch.wt.fits")
        #expect(chip.files.sources == "\(base).ch.211.XY33.cmf")
        #expect(chip.files.psf == "\(base).ch.211.XY33.psf")
        #expect(chip.files.backgroundModel == "\(base).ch.211.XY33.mdl.fits")
        #expect(chip.files.astrometry == "\(base).cm.301.smf")
        #expect(chip.camID == 301 && chip.imfileID != nil)
    }

    @Test(arguments: Driver.available)
    func chipByIDChoosesTheChipHoldingTheCentre(_ driver: Driver) throws {
        let db = try TestServer.shared(driver)
        let images = try db.locate(ImageQuery(requestType: .byid, imageType: .chip, id: "211", skyCenter: chipCenter(101, "XY43")))
        #expect(images.map(\.component) == ["XY43"])
    }

    @Test(arguments: Driver.available)
    func chipByIDWithoutCentreGivesAllGoodChips(_ driver: Driver) throws {
        let db = try TestServer.shared(driver)
        let images = try db.locate(ImageQuery(requestType: .byid, imageType: .chip, id: "211"))
        // XY44 has quality 4 and is left out.
        #expect(images.map(\.component) == ["XY33", "XY34", "XY43"])
    }

    @Test(arguments: Driver.available)
    func badQualityFaultedAndGoneComponentsGiveTheirCodes(_ driver: Driver) throws {
        let db = try TestServer.shared(driver)
        expectCode(23, db, ImageQuery(requestType: .byid, imageType: .chip, id: "211", component: "XY44"))  // quality 4
        expectCode(26, db, ImageQuery(requestType: .byid, imageType: .chip, id: "212", component: "XY44"))  // fault 26
        expectCode(23, db, ImageQuery(requestType: .byid, imageType: .chip, id: "214", component: "XY33"))  // fault 2
        expectCode(23, db, ImageQuery(requestType: .byid, imageType: .chip, id: "999", component: "XY33"))
        expectCode(21, db, ImageQuery(requestType: .byid, imageType: .chip, id: "abc"))
        expectCode(21, db, ImageQuery(requestType: .byid, imageType: .chip, id: "-3"))
    }

    @Test(arguments: Driver.available)
    func chipByExpKeepsOnlyTheNewestRunOfTheExposure(_ driver: Driver) throws {
        let db = try TestServer.shared(driver)
        let images = try db.locate(ImageQuery(requestType: .byexp, imageType: .chip, id: "o5000g0101o", component: "XY33"))
        #expect(images.map(\.stageID) == [211])  // 201 is the older duplicate
        // 215 is newer but purged: it is skipped, and the goto_cleaned run 213 is used, cleaned chip included.
        let e103 = try db.locate(ImageQuery(requestType: .byexp, imageType: .chip, id: "o5208g0103o"))
        #expect(Set(e103.map(\.stageID)) == [213])
        #expect(e103.map(\.component) == ["XY33", "XY34", "XY43", "XY44"])
        #expect(e103.first { $0.component == "XY34" }?.dataState == "cleaned")
        #expect(e103.allSatisfy { $0.runState == "goto_cleaned" })
    }

    @Test(arguments: Driver.available)
    func mjdAndFilterCutsApplyToTheExposure(_ driver: Driver) throws {
        let db = try TestServer.shared(driver)
        // dateobs 2009-06-01 10:00:00 is MJD 54983.4167.
        let before = ImageQuery(requestType: .byexp, imageType: .chip, id: "o5000g0101o", component: "XY33", mjdMax: 54983.4)
        expectCode(23, db, before)
        let after = ImageQuery(requestType: .byexp, imageType: .chip, id: "o5000g0101o", component: "XY33", mjdMin: 54983.4)
        #expect(try db.locate(after).count == 1)
        expectCode(23, db, ImageQuery(requestType: .byexp, imageType: .chip, id: "o5000g0101o", component: "XY33", filter: "i"))
        #expect(
            try db.locate(ImageQuery(requestType: .byexp, imageType: .chip, id: "o5000g0101o", component: "XY33", filter: "r")).count == 1)
        expectCode(23, db, ImageQuery(requestType: .byexp, imageType: .chip, id: "o5000g0101o", component: "XY33", dataGroup: "MD%"))
    }

    @Test(arguments: Driver.available)
    func rawByIDByExpAndByImfileID(_ driver: Driver) throws {
        let db = try TestServer.shared(driver)
        let raw = try db.locate(ImageQuery(requestType: .byid, imageType: .raw, id: "101", component: "XY33"))
        #expect(raw.map(\.files.image) == ["path://FIXTURES/gpc1/raw/o5000g0101o/o5000g0101o.XY33.fits"])
        #expect(raw.first?.files.astrometry?.hasSuffix("o5000g0101o.cm.301.smf") == true)
        #expect(raw.first?.stage == .raw && raw.first?.stageID == 101)
        // Raw keeps bad-quality files.
        let bad = try db.locate(ImageQuery(requestType: .byexp, imageType: .raw, id: "o5001g0102o", component: "XY44"))
        #expect(bad.map(\.quality) == [2])
        let byImfile = try db.locate(ImageQuery(requestType: .byid, imageType: .raw, id: "901", useImfileID: true))
        #expect(byImfile.map { "\($0.stageID)/\($0.component)" } == ["101/XY33"])
        let centred = try db.locate(ImageQuery(requestType: .byid, imageType: .raw, id: "102", skyCenter: chipCenter(102, "XY34")))
        #expect(centred.map(\.component) == ["XY34"])
    }

    @Test(arguments: Driver.available)
    func chipByImfileID(_ driver: Driver) throws {
        let db = try TestServer.shared(driver)
        let one = try db.locate(ImageQuery(requestType: .byid, imageType: .chip, id: "211", component: "XY34"))
        let id = try #require(one.first?.imfileID)
        let again = try db.locate(ImageQuery(requestType: .byid, imageType: .chip, id: String(id), useImfileID: true))
        #expect(again.map { "\($0.stageID)/\($0.component)" } == ["211/XY34"])
    }

    @Test(arguments: Driver.available)
    func chipByCoordFindsTheChipOfEachReleasedExposure(_ driver: Driver) throws {
        let db = try TestServer.shared(driver)
        let point = SkyPoint(ra: 150.021, dec: 1.979)
        // No survey, data group or tessellation: the 3PI release, which holds exposures 101, 102 and 104.
        let images = try db.locate(ImageQuery(requestType: .bycoord, imageType: .chip, skyCenter: point))
        #expect(images.map { "\($0.stageID)/\($0.component)" } == ["211/XY43", "212/XY43", "214/XY43"])
        // A data group bypasses the release and cuts on the camera run's data group.
        let md = try db.locate(ImageQuery(requestType: .bycoord, imageType: .chip, skyCenter: point, dataGroup: "MD%"))
        #expect(md.map { "\($0.stageID)/\($0.component)" } == ["213/XY43"])
        let raw = try db.locate(ImageQuery(requestType: .bycoord, imageType: .raw, skyCenter: point, dataGroup: "MD%"))
        #expect(raw.map { "\($0.stageID)/\($0.component)" } == ["103/XY43"])
        // FWHM cuts (release lookups only): camera FWHM 4.0, 6.0, 7.5.
        let sharp = try db.locate(ImageQuery(requestType: .bycoord, imageType: .chip, skyCenter: point, fwhmMax: 5))
        #expect(sharp.map(\.stageID) == [211])
    }

    @Test(arguments: Driver.available)
    func byCoordOffEveryChipOrFarAwayIsNoImageMatch(_ driver: Driver) throws {
        let db = try TestServer.shared(driver)
        // Job.pm: a point on no chip (dvoImagesAtCoords' 28) is skipped, the row gets 23 (NO_IMAGE_MATCH).
        // 28 (NO_OVERLAP) comes only from cutting a found image (ppstamp).
        expectCode(23, db, ImageQuery(requestType: .bycoord, imageType: .chip, skyCenter: SkyPoint(ra: 150.3, dec: 2.3)))
        expectCode(23, db, ImageQuery(requestType: .bycoord, imageType: .chip, skyCenter: SkyPoint(ra: 10, dec: 10)))
        expectCode(21, db, ImageQuery(requestType: .bycoord, imageType: .chip, skyCenter: nil))
        expectCode(23, db, ImageQuery(requestType: .byid, imageType: .chip, id: "211", skyCenter: SkyPoint(ra: 150.3, dec: 2.3)))
    }

    @Test(arguments: Driver.available)
    func unsupportedCombinationsGiveTheIPPCodes(_ driver: Driver) throws {
        let db = try TestServer.shared(driver)
        expectCode(23, db, ImageQuery(requestType: .byskycell, imageType: .chip, component: "skycell.1405.044", tessID: "RINGS.V3"))
        expectCode(23, db, ImageQuery(requestType: .byskycell, imageType: .raw, component: "skycell.1405.044", tessID: "RINGS.V3"))
        expectCode(11, db, ImageQuery(requestType: .byexp, imageType: .stack, id: "o5000g0101o"))
        expectCode(11, db, ImageQuery(requestType: .byexp, imageType: .stackSummary, id: "o5000g0101o"))
        expectCode(23, db, ImageQuery(requestType: .byskycell, imageType: .warp, component: "skycell.1405.044"))
        expectCode(21, db, ImageQuery(requestType: .byskycell, imageType: .stackSummary, tessID: "RINGS.V3"))
    }

    @Test(arguments: Driver.available)
    func chipAndRawByDiffFollowTheInputOrTheTemplate(_ driver: Driver) throws {
        let db = try TestServer.shared(driver)
        // 7001: warp 501 (exp 101, chip 211) − stack 30101.
        let chips = try db.locate(ImageQuery(requestType: .bydiff, imageType: .chip, id: "7001", skyCenter: chipCenter(101, "XY34")))
        #expect(chips.map { "\($0.stageID)/\($0.component)" } == ["211/XY34"])
        // 7002: warp 504 (exp 104) − warp 501 (exp 101); INVERSE picks the template.
        let raw = try db.locate(
            ImageQuery(requestType: .bydiff, imageType: .raw, id: "7002", skyCenter: chipCenter(101, "XY33"), inverse: true))
        #expect(raw.map { "\($0.stageID)/\($0.component)" } == ["101/XY33"])
        // 7003 is stack−stack: no exposure.
        expectCode(21, db, ImageQuery(requestType: .bydiff, imageType: .chip, id: "7003"))
    }
}
