import Cutout
import FITS
import Foundation
import PStampCore
import Testing

@Suite("Batch cutting and raw cell mosaics")
struct BatchAndMosaicTests {
    @Test("a batch on 2 threads (row window, compressed input) gives the stamps one-by-one cutting gives")
    func batchMatchesSingle() throws {
        let dir = try TestImages.directory()
        let packed = try TestImages.image(
            dir + "/p.fits", width: 300, height: 200,
            compression: .gzip(tiles: .rows, quantizeLevel: 0))
        var requests: [StampRequest] = []
        for k in 0..<40 {
            let x = (k * 37) % 300, y = (k * 53) % 200
            requests.append(
                StampRequest(
                    center: .pixel(x: Double(x), y: Double(y)), size: .pixels(17, 9),
                    outputBase: dir + "/b\(k)"))
        }
        requests.append(StampRequest(center: .pixel(x: 900, y: 10), size: .pixels(5, 5), outputBase: dir + "/off"))
        let options = StampOptions(compressed: false)
        let batch = try BatchCutout(imagePath: packed, options: options, threads: 2, rowWindow: true).run(requests)
        #expect(batch.count == 41)
        if case .failure(let e) = batch[40] { #expect(e.code == .noOverlap) } else { Issue.record("off-image stamp cut") }
        let single = StampCutter(source: try StampSource(image: packed), options: options)
        for k in 0..<40 {
            guard case .success(let r) = batch[k] else { Issue.record("stamp \(k) failed"); continue }
            var again = requests[k]
            again.outputBase = dir + "/s\(k)"
            _ = try single.cut(again)
            let a = try TestImages.openStamp(r.files[0]).readImage()
            let b = try TestImages.openStamp(dir + "/s\(k).fits").readImage()
            #expect(a.elementsEqual(b) { $0 == $1 || ($0.isNaN && $1.isNaN) }, "stamp \(k)")
        }
        let reopened = try BatchCutout(imagePath: packed, options: options, threads: 2, reopen: true).run(Array(requests.prefix(3)))
        #expect(reopened.allSatisfy { if case .success = $0 { return true } else { return false } })
    }

    @Test("a raw chip of cells (DETSEC/DATASEC, flipped cells, a gap) is mosaicked before cutting")
    func mosaic() throws {
        let dir = try TestImages.directory()
        let path = dir + "/raw.fits"
        let f = try FITSFile.create(path, overwrite: true)
        try f.appendEmptyPrimary()
        try TestImages.writeWCS(f, width: 50, height: 20)
        // Two 20×20 data cells with 4 columns of overscan, placed at x 1–20 and (flipped in x) 26–45:
        // a 5-column gap between them; chip width 45 (DETSEC bounding box), height 20.
        for (n, det) in ["[1:20,1:20]", "[45:26,1:20]"].enumerated() {
            var p = [Float](repeating: -1, count: 24 * 20)
            for j in 0..<20 { for i in 0..<20 { p[j * 24 + i] = Float(1000 * (n + 1) + i + 100 * j) } }
            try f.appendImage(p, width: 24, height: 20)
            try f.write("DATASEC", "[1:20,1:20]")
            try f.write("DETSEC", det)
        }
        try f.close()
        let source = try StampSource(image: path)
        #expect(source.isMosaic && source.width == 45 && source.height == 20)
        let c = StampCutter(source: source, options: StampOptions(products: [.image, .mask], compressed: false))
        let r = try c.cut(StampRequest(center: .pixel(x: 22, y: 5), size: .pixels(20, 3), outputBase: dir + "/m"))
        #expect(r.start == (12, 4))
        let px = try TestImages.openStamp(dir + "/m.fits").readImage()
        #expect(px[0] == 1000 + 12 + 400)  // chip x 12 is cell 1 x 12
        #expect(px[8].isNaN && px[12].isNaN)  // chip x 20…24: the gap
        #expect(px[13] == 2000 + 19 + 400)  // chip x 25 is cell 2 x 19 (flipped)
        #expect(px[19] == 2000 + 13 + 400)
        let m = try TestImages.openStamp(dir + "/m.mk.fits").readSection(PixelRegion.whole(width: 20, height: 3), as: UInt16.self)
        #expect(m[8] == MaskBits.blank && m[0] == 0)
    }
}
