import PStampCore
import Testing

@Suite("Products per OPTION_MASK and output names")
struct StampProductTests {
    @Test("SELECT_IMAGE is forced on; 63 on a chip gives image, mask, weight, cmf, psf, backmdl")
    func chip63() throws {
        let s = try StampProductSelection(optionMask: 62, stage: .chip)
        #expect(s.products == [.image, .mask, .variance, .sources, .psf, .backgroundModel])
        #expect(s.optionMask.rawValue == 63)
    }

    @Test("raw drops mask and variance; exp/num maps are stack only")
    func stageRules() throws {
        #expect(try StampProductSelection(optionMask: 7 | 128 | 256, stage: .raw).products == [.image])
        #expect(try StampProductSelection(optionMask: 1 | 128 | 256, stage: .stack).products == [.image, .exposureMap, .countMap])
        #expect(try StampProductSelection(optionMask: 1 | 128, stage: .warp).products == [.image])
        let summary = try StampProductSelection(optionMask: 1 | 8 | 32 | 1024 | 4096 | 65536, stage: .stackSummary)
        #expect(summary.products == [.image, .exposureJPEG])
        #expect(!summary.inverse && !summary.restoreBackground)
    }

    @Test("flags: JPEG 65, uncompressed 512, inverse 1089, unconvolved 2113")
    func flags() throws {
        #expect(try StampProductSelection(optionMask: 65, stage: .warp).products == [.image, .jpeg])
        #expect(try StampProductSelection(optionMask: 513, stage: .warp).uncompressed)
        #expect(try StampProductSelection(optionMask: 1089, stage: .diff).inverse)
        let s = try StampProductSelection(optionMask: 2113, stage: .stack)
        #expect(s.unconvolved && s.contains(.jpeg))
    }

    @Test("RESTORE_BACKGROUND off chip and stack is code 31")
    func restoreBackground() throws {
        #expect(try StampProductSelection(optionMask: 4097, stage: .chip).restoreBackground)
        do { _ = try StampProductSelection(optionMask: 4097, stage: .warp); Issue.record("no error") } catch {
            #expect(error.code == .bgRestoreNotAvailable)
        }
    }

    @Test("names: <ROWNUM>_<jobnum>_<f>_<base> and suffixes")
    func naming() {
        let base = StampNaming.outputBase(
            rowNumber: 3, jobNumber: 2, filter: "r.00000",
            sourceFile: "/data/o6136g0055o.ota12.ch.fits")
        #expect(base == "3_2_r_o6136g0055o.ota12.ch")
        #expect(StampNaming.outputBase(rowNumber: 1, jobNumber: 1, filter: nil, sourceFile: "a.fits.fz") == "1_1_X_a")
        #expect(StampNaming.fileName(base: base, product: .variance) == base + ".wt.fits")
        #expect(StampNaming.fileName(base: base, product: .mask) == base + ".mk.fits")
        #expect(StampNaming.fileName(base: base, product: .countJPEG) == base + ".num.jpg")
        #expect(StampNaming.fileName(base: base, product: .psf) == nil)
    }

    @Test("JPEG range: median − 5σ … median + 10σ, NaN ignored and black")
    func jpegScale() {
        var pixels: [Float] = (0..<1000).map { Float($0 % 100) }  // uniform 0…99: median 49.5, IQR ≈ 49.5
        pixels.append(.nan)
        let s = pixels.withUnsafeBufferPointer { StampJPEGScale(pixels: $0) }
        let sigma = (s.white - s.black) / 15
        #expect(abs(s.black + 5 * sigma - 49.5) < 0.6)
        #expect(abs(sigma - 49.5 / 1.349) < 1.0)
        #expect(s.grey(.nan) == 0 && s.grey(-1e9) == 0 && s.grey(1e9) == 255)
        let flat = [Float](repeating: 3, count: 4).withUnsafeBufferPointer { StampJPEGScale(pixels: $0) }
        #expect(flat.grey(3) == 128 || flat.grey(3) == 127)
        let rows: [Float] = [0, 0, 1e9, 1e9]  // FITS row 0 at the bottom → last JPEG row
        let g = rows.withUnsafeBufferPointer { StampJPEGScale(black: 0, white: 1).greyImage($0, width: 2, height: 2) }
        #expect(g == [255, 255, 0, 0])
    }
}
