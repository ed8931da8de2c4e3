using System.Text;

namespace Watershed.Indicators.Tests.Api;

/// <summary>
/// A KoboToolbox export of a WFP questionnaire as the field has them: WFP's codebook names inside Kobo groups
/// ("fcs/FCSStap"), Kobo's own columns, skipped questions as "n/a", blank expenditure items, an LCS code 999, the
/// community written with a capital, no weight column. One household, worked by hand from WFP's formulas:
/// <list type="bullet">
/// <item>FCS 7×2 + 2×3 + 4×1 + 1×1 + 3×4 + 1×4 + 6×0.5 + 7×0.5 + 7×0 = 47.5, acceptable. FCS-N: vitamin A = dairy 1 + organ
/// meat 0 + eggs 2 + orange vegetables 2 + green leaves 3 + orange fruit 1 = 9 (at least daily); protein = pulses 2 + dairy 1
/// + flesh meat 1 + organ meat 0 + fish 0 + eggs 2 = 6 (sometimes); haem iron = 1 + 0 + 0 = 1 (sometimes).</item>
/// <item>rCSI 2×1 + 1×2 + 1×1 + 0×3 + 1×1 = 6, phase 2.</item>
/// <item>HDDS: 9 of 12 groups.</item>
/// <item>HHS: no food rarely 1 + slept hungry often 2 + a whole day never 0 = 3, moderate.</item>
/// <item>LCS: savings spent already (20) and utilities cut (30) are stress strategies; crisis answers 10, 999, n/a and
/// emergency 10s use nothing: stress, 2.</item>
/// <item>FES: food (40 + 30 + 35) × 30/7 = 450 a month (blank items 0); non-food 50 + 100 + 300 / 6 = 200 a month;
/// 450 / 650 = 0.6923 → class 3.</item>
/// <item>CARI: FCS acceptable with rCSI 6 ≥ 4 → 2; mean(2, mean(2, 3)) = 2.25 → 2, marginally food secure.</item>
/// </list>
/// </summary>
public static class WfpExport
{
    /// <summary>Current codebook name, older name, and the household's answer.</summary>
    private static readonly (string Current, string Older, string Answer)[] Answers =
    [
        ("fcs/FCSStap", "FCSStap", "7"), ("fcs/FCSPulse", "FCSPulse", "2"), ("fcs/FCSDairy", "FCSDairy", "1"), ("fcs/FCSPr", "FCSPr", "3"),
        ("fcs/FCSNPrMeatF", "FCSPrMeatF", "1"), ("fcs/FCSNPrMeatO", "FCSPrMeatO", "0"), ("fcs/FCSNPrFish", "FCSPrFish", "0"), ("fcs/FCSNPrEggs", "FCSPrEgg", "2"),
        ("fcs/FCSVeg", "FCSVeg", "4"), ("fcs/FCSNVegOrg", "FCSVegOrg", "2"), ("fcs/FCSNVegGre", "FCSVegGre", "3"), ("fcs/FCSFruit", "FCSFruit", "1"),
        ("fcs/FCSNFruiOrg", "FCSFruitOrg", "1"), ("fcs/FCSFat", "FCSFat", "7"), ("fcs/FCSSugar", "FCSSugar", "6"), ("fcs/FCSCond", "FCSCond", "7"),
        ("rcsi/rCSILessQlty", "rCSILessQlty", "2"), ("rcsi/rCSIBorrow", "rCSIBorrow", "1"), ("rcsi/rCSIMealSize", "rCSIMealSize", "1"),
        ("rcsi/rCSIMealAdult", "rCSIMealAdult", "0"), ("rcsi/rCSIMealNb", "rCSIMealNb", "1"),
        ("hdds/HDDSStapCer", "HDDSStapCer", "1"), ("hdds/HDDSStapRoot", "HDDSStapRoot", "1"), ("hdds/HDDSVeg", "HDDSVeg", "1"), ("hdds/HDDSFruit", "HDDSFruit", "0"),
        ("hdds/HDDSPrMeat", "HDDSPrMeat", "1"), ("hdds/HDDSPrEggs", "HDDSPrEgg", "1"), ("hdds/HDDSPrFish", "HDDSPrFish", "0"), ("hdds/HDDSPulse", "HDDSPulse", "1"),
        ("hdds/HDDSDairy", "HDDSDairy", "0"), ("hdds/HDDSFat", "HDDSFat", "1"), ("hdds/HDDSSugar", "HDDSSugar", "1"), ("hdds/HDDSCond", "HDDSCond", "1"),
        ("hhs/HHSNoFood", "HHhSNoFood", "1"), ("hhs/HHSNoFood_FR", "HHhSNoFood_FR", "1"), ("hhs/HHSBedHung", "HHhSBedHung", "1"),
        ("hhs/HHSBedHung_FR", "HHhSBedHung_FR", "3"), ("hhs/HHSNotEat", "HHhSNotEat", "0"), ("hhs/HHSNotEat_FR", "HHhSNotEat_FR", "n/a"),
        ("lcs/Lcs_stress_DomAsset", "LcsStress1", "10"), ("lcs/Lcs_stress_Saving", "LcsStress2", "20"), ("lcs/Lcs_stress_BorrowCash", "LcsStress3", "9999"),
        ("lcs/Lcs_stress_Utilities", "LcsStress4", "30"), ("lcs/Lcs_crisis_ProdAssets", "LcsCrisis1", "10"), ("lcs/Lcs_crisis_Health", "LcsCrisis2", "999"),
        ("lcs/Lcs_crisis_OutSchool", "LcsCrisis3", "n/a"), ("lcs/Lcs_em_ResAsset", "LcsEm1", "10"), ("lcs/Lcs_em_Begged", "LcsEm2", "10"),
        ("lcs/Lcs_em_IllegalAct", "LcsEm3", "10"),
        ("exp/HHExpFCer_Purch_MN_7D", "HHExpFCer_MN_7D", "40"), ("exp/HHExpFCer_GiftAid_MN_7D", "HHExpFCer_GiftAid_7D", ""),
        ("exp/HHExpFCer_Own_MN_7D", "HHExpFCer_Own_7D", "30"), ("exp/HHExpFAnimMeat_Purch_MN_7D", "HHExpFMeat_MN_7D", "35"),
        ("exp/HHExpFEgg_Own_MN_7D", "HHExpFEggs_Own_7D", ""), ("exp/HHExpNFHyg_Purch_MN_1M", "HHExpNFHyg_MN_1M", "50"),
        ("exp/HHExpNFTransp_Purch_MN_1M", "HHExpNFTransp_MN_1M", "100"), ("exp/HHExpNFPhone_Purch_MN_1M", "HHExpNFPhone_MN_1M", ""),
        ("exp/HHExpNFMedServ_Purch_MN_6M", "HHExpNFMedServ_MN_6M", "300"), ("exp/HHExpNFEduFee_Purch_MN_6M", "HHExpNFEduFee_MN_6M", "n/a"),
    ];

    /// <summary>The household as its Kobo export has it, under WFP's current names (or the older ones).</summary>
    public static string Csv(string id, string community = "Manzanares", string date = "2025-11-03", bool olderNames = false)
    {
        var header = new List<string> { "start", "_id", "_uuid", "_submission_time", "community_id", "household_id", "interview_date" };
        header.AddRange(Answers.Select(a => olderNames ? a.Older : a.Current));
        header.Add("observaciones");
        var row = new List<string> { $"{date}T08:30:00.000-05:00", "7100001", id, $"{date} 15:10:02", community, $"HH-{id}", date };
        row.AddRange(Answers.Select(a => a.Answer));
        row.Add("casa de adobe");
        return new StringBuilder(Line(header)).Append(Line(row)).ToString();
    }

    private static string Line(IEnumerable<string> values) => string.Join(";", values.Select(v => $"\"{v}\"")) + "\n";
}
