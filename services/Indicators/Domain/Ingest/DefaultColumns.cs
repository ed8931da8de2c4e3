using Watershed.Indicators.Domain.Standard;

namespace Watershed.Indicators.Domain.Ingest;

/// <summary>One canonical answer field of the default mapping and the columns that may hold it, the preferred name first.</summary>
public sealed record DefaultColumn(string Field, IReadOnlyList<string> Columns);

/// <summary>
/// Fields a form asks together (one module of a questionnaire): a file with some of them but not all is worth a word,
/// except in an open list (<paramref name="IsOpenList"/>: expenditure items), where a form asks only the items it asks.
/// </summary>
public sealed record DefaultModule(string Name, IReadOnlyList<DefaultColumn> Fields, bool IsOpenList = false);

/// <summary>
/// The default mapping: a form whose questions carry the names of WFP's current codebook (the names WFP's standard
/// scripts of October 2025 read: FCSStap, FCSNPrEggs, rCSILessQlty, HDDSPrEggs, HHSNoFood, Lcs_stress_DomAsset,
/// HHExpFCer_Purch_MN_7D …), each field also read under the older names of earlier codebooks and of earlier versions of
/// this service (FCSPrEgg, HHhSNoFood, HHExpFCer_MN_7D …), and the metadata columns _uuid / meta/instanceID,
/// community_id, household_id and interview_date. An unweighted survey: a round that has weights names its weight column.
/// </summary>
public static class DefaultColumns
{
    public static IReadOnlyList<string> SubmissionIdColumns { get; } = ["_uuid", "meta/instanceID"];

    public const string AreaColumn = "community_id";

    public const string HouseholdColumn = "household_id";

    public const string InterviewDateColumn = "interview_date";

    /// <summary>KoboToolbox's repeat-group sheet: the column with the parent submission's _uuid.</summary>
    public const string WomenSubmissionIdColumn = "_submission__uuid";

    /// <summary>KoboToolbox's repeat-group sheet: the column with the parent row's <see cref="ParentIndexColumn"/>.</summary>
    public const string WomenParentIndexColumn = "_parent_index";

    /// <summary>KoboToolbox's main sheet: each row's index, which its repeat groups' rows name as their _parent_index.</summary>
    public const string ParentIndexColumn = "_index";

    /// <summary>WFP's food expenditure items: canonical item name, the codebook's item, and the older codebook's where it differs.</summary>
    public static IReadOnlyList<(string Item, string Wfp, string Older)> FoodItems { get; } =
    [
        ("cereals", "Cer", "Cer"), ("tubers", "Tub", "Tub"), ("pulses", "Puls", "Puls"), ("vegetables", "Veg", "Veg"),
        ("fruit", "Frt", "Fruit"), ("meat", "AnimMeat", "Meat"), ("fish", "AnimFish", "Fish"), ("fats", "Fats", "Fats"),
        ("dairy", "Dairy", "Dairy"), ("eggs", "Egg", "Eggs"), ("sugar", "Sgr", "Sgr"), ("condiments", "Cond", "Cond"),
        ("beverages", "Bev", "Bev"), ("meals_out", "Out", "Out"),
    ];

    /// <summary>WFP's non-food items over the past month (the older codebook asked rent monthly too).</summary>
    public static IReadOnlyList<(string Item, string Wfp)> NonFood30DayItems { get; } =
    [
        ("hygiene", "Hyg"), ("transport", "Transp"), ("fuel", "Fuel"), ("water", "Wat"), ("electricity", "Elec"), ("energy", "Energ"),
        ("dwelling_services", "DwelSer"), ("communication", "Phone"), ("recreation", "Recr"), ("alcohol_tobacco", "AlcTobac"),
    ];

    /// <summary>WFP's non-food items over the past 6 months.</summary>
    public static IReadOnlyList<(string Item, string Wfp)> NonFood6MonthItems { get; } =
    [
        ("medical_services", "MedServ"), ("medicines", "MedGood"), ("clothing", "Cloth"), ("education_fees", "EduFee"), ("education_goods", "EduGood"),
        ("rent", "Rent"), ("household_goods", "HHSoft"), ("household_maintenance", "HHMaint"),
    ];

    private static DefaultColumn F(string field, params string[] columns) => new(field, columns);

    /// <summary>The default's modules for a round asking <paramref name="strategies"/>.</summary>
    public static IReadOnlyList<DefaultModule> ModulesFor(LcsStrategies strategies)
    {
        ArgumentNullException.ThrowIfNull(strategies);
        return
        [
            .. Fixed,
            new("LCS", [.. strategies.All.Select(f => new DefaultColumn(f, strategies.DefaultColumns(f)))]),
            Expenditure,
        ];
    }

    private static readonly IReadOnlyList<DefaultModule> Fixed =
    [
        new("FCS", [
            F(AnswerFields.Fcs.Staples, "FCSStap"), F(AnswerFields.Fcs.Pulses, "FCSPulse"), F(AnswerFields.Fcs.Vegetables, "FCSVeg"),
            F(AnswerFields.Fcs.Fruit, "FCSFruit"), F(AnswerFields.Fcs.MeatFishEggs, "FCSPr"), F(AnswerFields.Fcs.Dairy, "FCSDairy"),
            F(AnswerFields.Fcs.Sugar, "FCSSugar"), F(AnswerFields.Fcs.Oil, "FCSFat"), F(AnswerFields.Fcs.Condiments, "FCSCond"),
        ]),
        new("FCS-N", [
            F(AnswerFields.Fcs.FleshMeat, "FCSNPrMeatF", "FCSPrMeatF"), F(AnswerFields.Fcs.OrganMeat, "FCSNPrMeatO", "FCSPrMeatO"),
            F(AnswerFields.Fcs.Fish, "FCSNPrFish", "FCSPrFish"), F(AnswerFields.Fcs.Eggs, "FCSNPrEggs", "FCSPrEgg"),
            F(AnswerFields.Fcs.OrangeVegetables, "FCSNVegOrg", "FCSVegOrg"), F(AnswerFields.Fcs.GreenLeafy, "FCSNVegGre", "FCSVegGre"),
            F(AnswerFields.Fcs.OrangeFruit, "FCSNFruiOrg", "FCSFruitOrg"),
        ]),
        new("rCSI", [
            F(AnswerFields.Rcsi.LessPreferredFood, "rCSILessQlty"), F(AnswerFields.Rcsi.BorrowFood, "rCSIBorrow"),
            F(AnswerFields.Rcsi.LimitPortions, "rCSIMealSize"), F(AnswerFields.Rcsi.RestrictAdults, "rCSIMealAdult"),
            F(AnswerFields.Rcsi.FewerMeals, "rCSIMealNb"),
        ]),
        new("HDDS", [
            F(AnswerFields.Hdds.Cereals, "HDDSStapCer"), F(AnswerFields.Hdds.RootsTubers, "HDDSStapRoot"), F(AnswerFields.Hdds.Vegetables, "HDDSVeg"),
            F(AnswerFields.Hdds.Fruits, "HDDSFruit"), F(AnswerFields.Hdds.Meat, "HDDSPrMeat"), F(AnswerFields.Hdds.Eggs, "HDDSPrEggs", "HDDSPrEgg"),
            F(AnswerFields.Hdds.Fish, "HDDSPrFish"), F(AnswerFields.Hdds.Legumes, "HDDSPulse"), F(AnswerFields.Hdds.Dairy, "HDDSDairy"),
            F(AnswerFields.Hdds.Oils, "HDDSFat"), F(AnswerFields.Hdds.Sweets, "HDDSSugar"), F(AnswerFields.Hdds.Condiments, "HDDSCond"),
        ]),
        new("MDD-W", [
            F(AnswerFields.Mddw.Age, "MDDWAge"), F(AnswerFields.Mddw.GrainsRoots, "MDDWStapCer"), F(AnswerFields.Mddw.Pulses, "MDDWPulse"),
            F(AnswerFields.Mddw.NutsSeeds, "MDDWNuts"), F(AnswerFields.Mddw.Dairy, "MDDWDairy"), F(AnswerFields.Mddw.MeatFish, "MDDWMeatFish"),
            F(AnswerFields.Mddw.Eggs, "MDDWEgg"), F(AnswerFields.Mddw.DarkGreenLeafy, "MDDWLeafGVeg"),
            F(AnswerFields.Mddw.VitaminAFruitVegetables, "MDDWVitA"), F(AnswerFields.Mddw.OtherVegetables, "MDDWVegOth"),
            F(AnswerFields.Mddw.OtherFruits, "MDDWFruitOth"),
        ]),
        new("HHS", [
            F(AnswerFields.Hhs.NoFood, "HHSNoFood", "HHhSNoFood"), F(AnswerFields.Hhs.NoFoodFrequency, "HHSNoFood_FR", "HHhSNoFood_FR"),
            F(AnswerFields.Hhs.SleepHungry, "HHSBedHung", "HHhSBedHung"), F(AnswerFields.Hhs.SleepHungryFrequency, "HHSBedHung_FR", "HHhSBedHung_FR"),
            F(AnswerFields.Hhs.WholeDayWithoutEating, "HHSNotEat", "HHhSNotEat"), F(AnswerFields.Hhs.WholeDayWithoutEatingFrequency, "HHSNotEat_FR", "HHhSNotEat_FR"),
        ]),
        new("FIES", [
            F(AnswerFields.Fies.Worried, "FIESWorried"), F(AnswerFields.Fies.Healthy, "FIESHealthy"), F(AnswerFields.Fies.FewFoods, "FIESFewFoods"),
            F(AnswerFields.Fies.Skipped, "FIESSkipped"), F(AnswerFields.Fies.AteLess, "FIESAteLess"), F(AnswerFields.Fies.RanOut, "FIESRanOut"),
            F(AnswerFields.Fies.Hungry, "FIESHungry"), F(AnswerFields.Fies.WholeDay, "FIESWholeDay"),
        ]),
        new("MAHFP", [F(AnswerFields.MahfpMonthsShort, "MAHFPMonths")]),
    ];

    /// <summary>
    /// WFP's expenditure module (FES script, October 2025): food over 7 days, purchased (cash and credit), gifts and aid,
    /// own production (HHExpF&lt;Item&gt;_&lt;Purch|GiftAid|Own&gt;_MN_7D), or over a month where a country asks so (_MN_1M);
    /// non-food over 1 and 6 months, purchased and gifts or aid (HHExpNF&lt;Item&gt;_&lt;Purch|GiftAid&gt;_MN_1M / _6M).
    /// The older codebook's names (HHExpFCer_MN_7D for cash, _CRD_7D for credit, _GiftAid_7D, _Own_7D; HHExpNFHyg_MN_1M,
    /// HHExpNFRent_MN_1M, HHExpNFBuild_MN_6M) are read too; credit, monthly rent and building have no current name.
    /// </summary>
    private static readonly DefaultModule Expenditure = new("FES", [.. ExpenditureFields()], IsOpenList: true);

    // Declared after the modules they are built from: static fields initialise in the order they are written.
    /// <summary>The default for a round that asks WFP's standard LCS strategies.</summary>
    public static IReadOnlyList<DefaultModule> Modules { get; } = ModulesFor(LcsStrategies.Default);

    /// <summary>Every default field with its columns, module by module, for a round that asks WFP's standard LCS strategies.</summary>
    public static IReadOnlyList<DefaultColumn> Fields { get; } = [.. Modules.SelectMany(m => m.Fields)];

    private static IEnumerable<DefaultColumn> ExpenditureFields()
    {
        foreach (var (item, wfp, older) in FoodItems)
        {
            yield return F($"{AnswerFields.Fes.Food7DaysPrefix}{item}_purchased", $"HHExpF{wfp}_Purch_MN_7D", $"HHExpF{older}_MN_7D");
            yield return F($"{AnswerFields.Fes.Food7DaysPrefix}{item}_gift_aid", $"HHExpF{wfp}_GiftAid_MN_7D", $"HHExpF{older}_GiftAid_7D");
            yield return F($"{AnswerFields.Fes.Food7DaysPrefix}{item}_own_production", $"HHExpF{wfp}_Own_MN_7D", $"HHExpF{older}_Own_7D");
            yield return F($"{AnswerFields.Fes.Food7DaysPrefix}{item}_credit", $"HHExpF{older}_CRD_7D");
            yield return F($"{AnswerFields.Fes.Food30DaysPrefix}{item}_purchased", $"HHExpF{wfp}_Purch_MN_1M");
            yield return F($"{AnswerFields.Fes.Food30DaysPrefix}{item}_gift_aid", $"HHExpF{wfp}_GiftAid_MN_1M");
            yield return F($"{AnswerFields.Fes.Food30DaysPrefix}{item}_own_production", $"HHExpF{wfp}_Own_MN_1M");
        }

        foreach (var (item, wfp) in NonFood30DayItems)
        {
            yield return F($"{AnswerFields.Fes.NonFood30DaysPrefix}{item}_purchased", $"HHExpNF{wfp}_Purch_MN_1M", $"HHExpNF{wfp}_MN_1M");
            yield return F($"{AnswerFields.Fes.NonFood30DaysPrefix}{item}_gift_aid", $"HHExpNF{wfp}_GiftAid_MN_1M");
        }

        yield return F($"{AnswerFields.Fes.NonFood30DaysPrefix}rent_purchased", "HHExpNFRent_MN_1M");
        foreach (var (item, wfp) in NonFood6MonthItems)
        {
            yield return F($"{AnswerFields.Fes.NonFood6MonthsPrefix}{item}_purchased", $"HHExpNF{wfp}_Purch_MN_6M", $"HHExpNF{wfp}_MN_6M");
            yield return F($"{AnswerFields.Fes.NonFood6MonthsPrefix}{item}_gift_aid", $"HHExpNF{wfp}_GiftAid_MN_6M");
        }

        yield return F($"{AnswerFields.Fes.NonFood6MonthsPrefix}building_purchased", "HHExpNFBuild_MN_6M");
    }
}
