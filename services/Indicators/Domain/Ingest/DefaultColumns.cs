namespace Watershed.Indicators.Domain.Ingest;

/// <summary>One canonical answer field of the default mapping and the columns that may hold it, the preferred name first.</summary>
public sealed record DefaultColumn(string Field, IReadOnlyList<string> Columns);

/// <summary>
/// Fields a form asks together (one module of a questionnaire): a file with some of them but not all is worth a word,
/// except in an open list (<paramref name="IsOpenList"/>: expenditure items), where a form asks only the items it asks.
/// </summary>
public sealed record DefaultModule(string Name, IReadOnlyList<DefaultColumn> Fields, bool IsOpenList = false);

/// <summary>
/// The default mapping: a form whose questions carry WFP's codebook names (FCSStap, rCSILessQlty, HHhSNoFood…) and
/// the metadata columns _uuid / meta/instanceID, community_id, household_id and interview_date. An unweighted survey:
/// a round that has weights names its weight column.
/// </summary>
public static class DefaultColumns
{
    public static IReadOnlyList<string> SubmissionIdColumns { get; } = ["_uuid", "meta/instanceID"];

    public const string AreaColumn = "community_id";

    public const string HouseholdColumn = "household_id";

    public const string InterviewDateColumn = "interview_date";

    public static IReadOnlyList<DefaultModule> Modules { get; } = BuildModules();

    /// <summary>Every default field with its columns, module by module.</summary>
    public static IReadOnlyList<DefaultColumn> Fields { get; } = [.. Modules.SelectMany(m => m.Fields)];

    private static DefaultColumn F(string field, params string[] columns) => new(field, columns);

    private static List<DefaultModule> BuildModules()
    {
        List<DefaultModule> modules =
        [
            new("FCS", [
                F(AnswerFields.Fcs.Staples, "FCSStap"), F(AnswerFields.Fcs.Pulses, "FCSPulse"), F(AnswerFields.Fcs.Vegetables, "FCSVeg"),
                F(AnswerFields.Fcs.Fruit, "FCSFruit"), F(AnswerFields.Fcs.MeatFishEggs, "FCSPr"), F(AnswerFields.Fcs.Dairy, "FCSDairy"),
                F(AnswerFields.Fcs.Sugar, "FCSSugar"), F(AnswerFields.Fcs.Oil, "FCSFat"), F(AnswerFields.Fcs.Condiments, "FCSCond"),
            ]),
            new("FCS-N", [
                F(AnswerFields.Fcs.FleshMeat, "FCSPrMeatF"), F(AnswerFields.Fcs.OrganMeat, "FCSPrMeatO"), F(AnswerFields.Fcs.Fish, "FCSPrFish"),
                F(AnswerFields.Fcs.Eggs, "FCSPrEgg"), F(AnswerFields.Fcs.OrangeVegetables, "FCSVegOrg"), F(AnswerFields.Fcs.GreenLeafy, "FCSVegGre"),
                F(AnswerFields.Fcs.OrangeFruit, "FCSFruitOrg"),
            ]),
            new("rCSI", [
                F(AnswerFields.Rcsi.LessPreferredFood, "rCSILessQlty"), F(AnswerFields.Rcsi.BorrowFood, "rCSIBorrow"),
                F(AnswerFields.Rcsi.LimitPortions, "rCSIMealSize"), F(AnswerFields.Rcsi.RestrictAdults, "rCSIMealAdult"),
                F(AnswerFields.Rcsi.FewerMeals, "rCSIMealNb"),
            ]),
            new("HDDS", [
                F(AnswerFields.Hdds.Cereals, "HDDSStapCer"), F(AnswerFields.Hdds.RootsTubers, "HDDSStapRoot"), F(AnswerFields.Hdds.Vegetables, "HDDSVeg"),
                F(AnswerFields.Hdds.Fruits, "HDDSFruit"), F(AnswerFields.Hdds.Meat, "HDDSPrMeat"), F(AnswerFields.Hdds.Eggs, "HDDSPrEgg"),
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
                F(AnswerFields.Hhs.NoFood, "HHhSNoFood"), F(AnswerFields.Hhs.NoFoodFrequency, "HHhSNoFood_FR"),
                F(AnswerFields.Hhs.SleepHungry, "HHhSBedHung"), F(AnswerFields.Hhs.SleepHungryFrequency, "HHhSBedHung_FR"),
                F(AnswerFields.Hhs.WholeDayWithoutEating, "HHhSNotEat"), F(AnswerFields.Hhs.WholeDayWithoutEatingFrequency, "HHhSNotEat_FR"),
            ]),
            new("FIES", [
                F(AnswerFields.Fies.Worried, "FIESWorried"), F(AnswerFields.Fies.Healthy, "FIESHealthy"), F(AnswerFields.Fies.FewFoods, "FIESFewFoods"),
                F(AnswerFields.Fies.Skipped, "FIESSkipped"), F(AnswerFields.Fies.AteLess, "FIESAteLess"), F(AnswerFields.Fies.RanOut, "FIESRanOut"),
                F(AnswerFields.Fies.Hungry, "FIESHungry"), F(AnswerFields.Fies.WholeDay, "FIESWholeDay"),
            ]),
            new("MAHFP", [F(AnswerFields.MahfpMonthsShort, "MAHFPMonths")]),
            new("LCS", [
                .. AnswerFields.Lcs.Stress.Select((f, i) => F(f, $"LcsStress{i + 1}")),
                .. AnswerFields.Lcs.Crisis.Select((f, i) => F(f, $"LcsCrisis{i + 1}")),
                .. AnswerFields.Lcs.Emergency.Select((f, i) => F(f, $"LcsEm{i + 1}")),
            ]),
        ];

        // Food: cash, credit, gifts/aid and own production over 7 days; non-food over 1 and 6 months.
        var food = new[] { "Cer", "Tub", "Puls", "Veg", "Fruit", "Meat", "Fish", "Eggs", "Dairy", "Fats", "Sgr", "Cond", "Bev", "Out" }
            .SelectMany(item => new[] { "MN", "CRD", "GiftAid", "Own" }.Select(source =>
                F($"{AnswerFields.Fes.Food7DaysPrefix}{item.ToLowerInvariant()}_{source.ToLowerInvariant()}", $"HHExpF{item}_{source}_7D")));
        var nonFood30 = new[] { "Hyg", "Transp", "Fuel", "Wat", "Elec", "Phone", "Rent" }
            .Select(item => F($"{AnswerFields.Fes.NonFood30DaysPrefix}{item.ToLowerInvariant()}", $"HHExpNF{item}_MN_1M"));
        var nonFood6 = new[] { "MedServ", "MedGood", "Cloth", "EduFee", "EduGood", "HHSoft", "Build" }
            .Select(item => F($"{AnswerFields.Fes.NonFood6MonthsPrefix}{item.ToLowerInvariant()}", $"HHExpNF{item}_MN_6M"));
        modules.Add(new DefaultModule("FES", [.. food, .. nonFood30, .. nonFood6], IsOpenList: true));
        return modules;
    }
}
