import Foundation
import Testing

@testable import ImageDB

/// warp, stack, diff and stack_summary lookups on the fixture sky, on both drivers.
@Suite struct SkycellLookupTests {
    let cell044 = "skycell.1405.044"

    @Test(arguments: Driver.available)
    func warpByIDGivesTheSkyfileAndItsExposure(_ driver: Driver) throws {
        let db = try TestServer.shared(driver)
        let images = try db.locate(ImageQuery(requestType: .byid, imageType: .warp, id: "501", component: cell044))
        try #require(images.count == 1)
        let w = images[0]
        let base = "path://FIXTURES/gpc1/20090601/o5000g0101o/o5000g0101o.wrp.501.skycell.1405.044"
        #expect(
            w.files
                == ImageFiles(
                    image: "\(base).fits", mask: "\(base).mask.fits", variance: "\(base).wt.fits",
                    sources: "\(base).cmf", psf: "\(base).psf"))
        #expect(w.expID == 101 && w.expName == "o5000g0101o" && w.camID == 301 && w.tessID == "RINGS.V3")
        #expect(w.runState == "full" && w.dataState == "full")
        let byImfile = try db.locate(ImageQuery(requestType: .byid, imageType: .warp, id: String(w.imfileID ?? 0), useImfileID: true))
        #expect(byImfile.map { "\($0.stageID)/\($0.component)" } == ["501/\(cell044)"])
        let centred = try db.locate(
            ImageQuery(requestType: .byid, imageType: .warp, id: "501", skyCenter: try skycellCenter("skycell.1405.054")))
        #expect(centred.map(\.component) == ["skycell.1405.054"])
    }

    @Test(arguments: Driver.available)
    func warpByExpKeepsTheNewestRunAndDropsBadQuality(_ driver: Driver) throws {
        let db = try TestServer.shared(driver)
        let images = try db.locate(ImageQuery(requestType: .byexp, imageType: .warp, id: "o5000g0101o"))
        #expect(images.map { "\($0.stageID)/\($0.component)" } == ["501/skycell.1405.044", "501/skycell.1405.045", "501/skycell.1405.054"])
        expectCode(23, db, ImageQuery(requestType: .byexp, imageType: .warp, id: "o5000g0101o", filter: "i"))
        expectCode(23, db, ImageQuery(requestType: .byexp, imageType: .warp, id: "o5000g0101o", tessID: "MD08.V3"))
    }

    @Test(arguments: Driver.available)
    func warpBySkycellGivesTheNewestRunOfEachExposure(_ driver: Driver) throws {
        let db = try TestServer.shared(driver)
        let images = try db.locate(ImageQuery(requestType: .byskycell, imageType: .warp, component: cell044, tessID: "RINGS.V3"))
        // 500 is older than 501; 504's skyfile has fault 2.
        #expect(images.map(\.stageID) == [501, 502, 503])
        #expect(images.map(\.dataState) == ["full", "cleaned", "error_cleaned"])
        // Through the 3PI.PV3 release (exposures 101, 102, 104) and an FWHM cut on the camera stage.
        let released = try db.locate(
            ImageQuery(
                requestType: .byskycell, imageType: .warp, component: cell044, tessID: "RINGS.V3",
                ippRelease: "3PI.PV3"))
        #expect(released.map(\.stageID) == [501, 502])
        let sharp = try db.locate(
            ImageQuery(
                requestType: .byskycell, imageType: .warp, component: cell044, tessID: "RINGS.V3",
                fwhmMax: 5, surveyName: "3PI"))
        #expect(sharp.map(\.stageID) == [501])
        let dated = try db.locate(
            ImageQuery(
                requestType: .byskycell, imageType: .warp, component: cell044, tessID: "RINGS.V3",
                mjdMin: 55000))
        #expect(dated.map(\.stageID) == [503])
    }

    @Test(arguments: Driver.available)
    func warpByCoordGoesThroughTheSkycellsAtThePoint(_ driver: Driver) throws {
        let db = try TestServer.shared(driver)
        let images = try db.locate(ImageQuery(requestType: .bycoord, imageType: .warp, skyCenter: try skycellCenter(cell044)))
        #expect(images.map { "\($0.stageID)/\($0.component)" } == ["501/\(cell044)", "502/\(cell044)"])
        // No skycell at the point: no image, 23 as Job.pm's lookup_bycoord answers (not 28).
        expectCode(23, db, ImageQuery(requestType: .bycoord, imageType: .warp, skyCenter: SkyPoint(ra: 151, dec: 2)))
    }

    @Test(arguments: Driver.available)
    func warpByDiffFollowsInputOrTemplate(_ driver: Driver) throws {
        let db = try TestServer.shared(driver)
        let input = try db.locate(ImageQuery(requestType: .bydiff, imageType: .warp, id: "7001"))
        #expect(input.map { "\($0.stageID)/\($0.component)" } == ["501/\(cell044)"])
        let template = try db.locate(ImageQuery(requestType: .bydiff, imageType: .warp, id: "7002", inverse: true))
        #expect(template.map { "\($0.stageID)/\($0.component)" } == ["501/skycell.1405.054"])
        expectCode(23, db, ImageQuery(requestType: .bydiff, imageType: .warp, id: "9999"))
    }

    @Test(arguments: Driver.available)
    func stackByIDConvolvedAndUnconvolved(_ driver: Driver) throws {
        let db = try TestServer.shared(driver)
        let base = "path://FIXTURES/gpc1/stack/RINGS.V3/skycell.1405.044/RINGS.V3.skycell.1405.044.stk.30101"
        let conv = try db.locate(ImageQuery(requestType: .byid, imageType: .stack, id: "30101"))
        #expect(conv.map(\.files.image) == ["\(base).fits"])
        #expect(conv.first?.files.psf == "\(base).target.psf")
        // The exposure maps are the unconvolved stack's whichever stack is asked for (pstamp_job_run.pl).
        #expect(conv.first?.files.expMap == "\(base).unconv.exp.fits" && conv.first?.files.numMap == "\(base).unconv.num.fits")
        #expect(conv.first?.component == cell044 && conv.first?.filter == "r.00000")
        let unconv = try db.locate(ImageQuery(requestType: .byid, imageType: .stack, id: "30101", unconvolved: true))
        #expect(unconv.first?.files.image == "\(base).unconv.fits" && unconv.first?.files.mask == "\(base).unconv.mask.fits")
        // gpc1 stacks before 30067 have no unconvolved image.
        expectCode(25, db, ImageQuery(requestType: .byid, imageType: .stack, id: "20001", unconvolved: true))
        #expect(try db.locate(ImageQuery(requestType: .byid, imageType: .stack, id: "20001")).count == 1)
        // A cleaned stack is located with its run state as data_state (the parser then answers 26).
        let cleaned = try db.locate(ImageQuery(requestType: .byid, imageType: .stack, id: "30102"))
        #expect(cleaned.map(\.dataState) == ["cleaned"])
    }

    @Test(arguments: Driver.available)
    func stackBySkycellWithCutsAndReleaseTypes(_ driver: Driver) throws {
        let db = try TestServer.shared(driver)
        let all = try db.locate(ImageQuery(requestType: .byskycell, imageType: .stack, component: cell044, tessID: "RINGS.V3"))
        #expect(all.map(\.stageID) == [30104, 30101])
        let late = try db.locate(
            ImageQuery(requestType: .byskycell, imageType: .stack, component: cell044, tessID: "RINGS.V3", mjdMin: 55500))
        #expect(late.map(\.stageID) == [30104])
        let deep = try db.locate(
            ImageQuery(
                requestType: .byskycell, imageType: .stack, component: cell044, tessID: "RINGS.V3",
                runType: "notnightly", surveyName: "3PI"))
        #expect(deep.map(\.stageID) == [30101])
        let nightly = try db.locate(
            ImageQuery(
                requestType: .byskycell, imageType: .stack, component: cell044, tessID: "RINGS.V3",
                runType: "nightly", ippRelease: "3PI.PV3"))
        #expect(nightly.map(\.stageID) == [30104])
        expectCode(23, db, ImageQuery(requestType: .byskycell, imageType: .stack, component: cell044, tessID: "RINGS.V3", filter: "i"))
        let iband = try db.locate(
            ImageQuery(requestType: .byskycell, imageType: .stack, component: "skycell.1405.055", tessID: "RINGS.V3", filter: "i"))
        #expect(iband.map(\.dataState) == ["goto_cleaned"])
    }

    @Test(arguments: Driver.available)
    func stackByCoordAndByDiff(_ driver: Driver) throws {
        let db = try TestServer.shared(driver)
        let near = try db.locate(ImageQuery(requestType: .bycoord, imageType: .stack, skyCenter: try skycellCenter(cell044)))
        #expect(near.map(\.stageID) == [30104, 30101])
        #expect(try db.locate(ImageQuery(requestType: .bydiff, imageType: .stack, id: "7001")).map(\.stageID) == [30101])
        #expect(try db.locate(ImageQuery(requestType: .bydiff, imageType: .stack, id: "7003")).map(\.stageID) == [30104])
        #expect(try db.locate(ImageQuery(requestType: .bydiff, imageType: .stack, id: "7003", inverse: true)).map(\.stageID) == [30101])
        expectCode(23, db, ImageQuery(requestType: .bydiff, imageType: .stack, id: "7002"))  // warp−warp: no stack
    }

    @Test(arguments: Driver.available)
    func diffLookupsByIDDiffExpSkycellAndCoord(_ driver: Driver) throws {
        let db = try TestServer.shared(driver)
        let base = "path://FIXTURES/gpc1/diff/RINGS.V3/skycell.1405.044/RINGS.V3.skycell.1405.044.dif.30601"
        let byid = try db.locate(ImageQuery(requestType: .byid, imageType: .diff, id: "30601", component: cell044))
        #expect(byid.map(\.files.image) == ["\(base).fits"])
        #expect(byid.first?.diffMode == 2 && byid.first?.bothways == true && byid.first?.expID == 101 && byid.first?.imfileID == 7001)
        let inverse = try db.locate(ImageQuery(requestType: .byid, imageType: .diff, id: "30601", component: cell044, inverse: true))
        #expect(inverse.first?.files.image == "\(base).inv.fits" && inverse.first?.files.variance == "\(base).inv.wt.fits")
        // USE_IMFILE_ID is not honoured for diffs: ID stays a diff_id.
        expectCode(23, db, ImageQuery(requestType: .byid, imageType: .diff, id: "7001", useImfileID: true))
        let bydiff = try db.locate(ImageQuery(requestType: .bydiff, imageType: .diff, id: "7002"))
        #expect(bydiff.map { "\($0.stageID)/\($0.dataState)" } == ["30602/cleaned"])
        let byexp = try db.locate(ImageQuery(requestType: .byexp, imageType: .diff, id: "o5000g0101o"))
        #expect(byexp.map(\.stageID) == [30601])
        // The template side of 30602 is exposure 101; 30602 is not bothways, so (as Job.pm) its forward image is given.
        let template = try db.locate(
            ImageQuery(
                requestType: .byexp, imageType: .diff, id: "o5000g0101o", component: "skycell.1405.054",
                inverse: true))
        #expect(template.map(\.stageID) == [30602] && template.first?.inverse == false)
        #expect(template.first?.files.image.hasSuffix(".dif.30602.fits") == true && template.first?.expID == 101)
        let cell = try db.locate(ImageQuery(requestType: .byskycell, imageType: .diff, component: cell044, tessID: "RINGS.V3"))
        #expect(cell.map(\.stageID) == [30603, 30601])
        let warpStack = try db.locate(
            ImageQuery(
                requestType: .byskycell, imageType: .diff, component: cell044, tessID: "RINGS.V3",
                runType: "warp_stack"))
        #expect(warpStack.map(\.stageID) == [30601])
        let coord = try db.locate(
            ImageQuery(requestType: .bycoord, imageType: .diff, skyCenter: try skycellCenter(cell044), runType: "STACK_STACK"))
        #expect(coord.map(\.stageID) == [30603])
    }

    @Test(arguments: Driver.available)
    func stackSummaryByIDSkycellAndCoord(_ driver: Driver) throws {
        let db = try TestServer.shared(driver)
        let byid = try db.locate(ImageQuery(requestType: .byid, imageType: .stackSummary, id: "801"))
        #expect(byid.map(\.component) == ["skycell.1405"])
        #expect(byid.first?.pathBase == "path://FIXTURES/gpc1/stack/RINGS.V3/skycell.1405.sass.801")
        // The summary's own names: image/mask/variance/exp/num `.b1.fits`, JPEGs `.0.b1.jpeg`.
        let summary = "path://FIXTURES/gpc1/stack/RINGS.V3/skycell.1405.sass.801"
        #expect(byid.first?.files.image == "\(summary).image.b1.fits" && byid.first?.files.mask == "\(summary).mask.b1.fits")
        #expect(byid.first?.files.variance == "\(summary).variance.b1.fits" && byid.first?.files.numMap == "\(summary).num.b1.fits")
        #expect(byid.first?.files.expJPEG == "\(summary).exp.0.b1.jpeg" && byid.first?.files.jpeg == "\(summary).image.0.b1.jpeg")
        let cell = try db.locate(ImageQuery(requestType: .byskycell, imageType: .stackSummary, component: cell044, tessID: "RINGS.V3"))
        #expect(cell.map(\.stageID) == [801])
        let coord = try db.locate(
            ImageQuery(requestType: .bycoord, imageType: .stackSummary, skyCenter: try skycellCenter(cell044), tessID: "RINGS.V3"))
        #expect(coord.map(\.stageID) == [801])
        expectCode(
            23, db, ImageQuery(requestType: .byskycell, imageType: .stackSummary, component: cell044, tessID: "RINGS.V3", filter: "g"))
    }
}
