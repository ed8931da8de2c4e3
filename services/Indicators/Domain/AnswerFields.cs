namespace Watershed.Indicators.Domain;

/// <summary>
/// Canonical answer field names: the vocabulary a <see cref="Ingest.ColumnMapping"/> maps a form's
/// columns onto. Validation errors name these fields.
/// </summary>
public static class AnswerFields
{
    /// <summary>Food Consumption Score: days (0–7) in the past 7 days; main groups, or their sub-groups.</summary>
    public static class Fcs
    {
        public const string Staples = "fcs.staples";
        public const string Cereals = "fcs.cereals";
        public const string Tubers = "fcs.tubers";
        public const string Pulses = "fcs.pulses";
        public const string Vegetables = "fcs.vegetables";
        public const string OrangeVegetables = "fcs.orange_vegetables";
        public const string GreenLeafy = "fcs.green_leafy";
        public const string OtherVegetables = "fcs.other_vegetables";
        public const string Fruit = "fcs.fruit";
        public const string OrangeFruit = "fcs.orange_fruit";
        public const string OtherFruit = "fcs.other_fruit";
        public const string MeatFishEggs = "fcs.meat_fish_eggs";
        public const string FleshMeat = "fcs.flesh_meat";
        public const string OrganMeat = "fcs.organ_meat";
        public const string Fish = "fcs.fish";
        public const string Eggs = "fcs.eggs";
        public const string Dairy = "fcs.dairy";
        public const string Sugar = "fcs.sugar";
        public const string Oil = "fcs.oil";
        public const string Condiments = "fcs.condiments";
    }

    /// <summary>reduced Coping Strategies Index: days (0–7) in the past 7 days.</summary>
    public static class Rcsi
    {
        public const string LessPreferredFood = "rcsi.less_preferred_food";
        public const string BorrowFood = "rcsi.borrow_food";
        public const string LimitPortions = "rcsi.limit_portions";
        public const string RestrictAdults = "rcsi.restrict_adults";
        public const string FewerMeals = "rcsi.fewer_meals";
    }

    /// <summary>Household Dietary Diversity Score: yes/no per group, previous 24 hours.</summary>
    public static class Hdds
    {
        public const string Cereals = "hdds.cereals";
        public const string RootsTubers = "hdds.roots_tubers";
        public const string Vegetables = "hdds.vegetables";
        public const string Fruits = "hdds.fruits";
        public const string Meat = "hdds.meat";
        public const string Eggs = "hdds.eggs";
        public const string Fish = "hdds.fish";
        public const string Legumes = "hdds.legumes";
        public const string Dairy = "hdds.dairy";
        public const string Oils = "hdds.oils";
        public const string Sweets = "hdds.sweets";
        public const string Condiments = "hdds.condiments";
    }

    /// <summary>Minimum Dietary Diversity for Women: the respondent woman's age and yes/no per group.</summary>
    public static class Mddw
    {
        public const string Age = "mddw.age";
        public const string GrainsRoots = "mddw.grains_roots";
        public const string Pulses = "mddw.pulses";
        public const string NutsSeeds = "mddw.nuts_seeds";
        public const string Dairy = "mddw.dairy";
        public const string MeatFish = "mddw.meat_fish";
        public const string Eggs = "mddw.eggs";
        public const string DarkGreenLeafy = "mddw.dark_green_leafy";
        public const string VitaminAFruitVegetables = "mddw.vitamin_a_fruit_vegetables";
        public const string OtherVegetables = "mddw.other_vegetables";
        public const string OtherFruits = "mddw.other_fruits";
    }

    /// <summary>Household Hunger Scale: occurred yes/no and, when yes, frequency rarely/sometimes/often.</summary>
    public static class Hhs
    {
        public const string NoFood = "hhs.no_food";
        public const string NoFoodFrequency = "hhs.no_food_frequency";
        public const string SleepHungry = "hhs.sleep_hungry";
        public const string SleepHungryFrequency = "hhs.sleep_hungry_frequency";
        public const string WholeDayWithoutEating = "hhs.whole_day";
        public const string WholeDayWithoutEatingFrequency = "hhs.whole_day_frequency";
    }

    /// <summary>Food Insecurity Experience Scale: eight yes/no items.</summary>
    public static class Fies
    {
        public const string Worried = "fies.worried";
        public const string Healthy = "fies.healthy";
        public const string FewFoods = "fies.few_foods";
        public const string Skipped = "fies.skipped";
        public const string AteLess = "fies.ate_less";
        public const string RanOut = "fies.ran_out";
        public const string Hungry = "fies.hungry";
        public const string WholeDay = "fies.whole_day";
    }

    /// <summary>MAHFP: the months (1–12, space-separated as Kobo exports a select_multiple) without enough food, or "none".</summary>
    public const string MahfpMonthsShort = "mahfp.months_short";

    /// <summary>
    /// CARI livelihood coping strategies (WFP LCS-FS), named by severity and strategy: "lcs.stress.dom_asset",
    /// "lcs.crisis.prod_assets", "lcs.emergency.begged". Each round asks 4 stress, 3 crisis and 3 emergency strategies of
    /// its choosing (<see cref="Standard.LcsStrategies"/>). The positional names of earlier versions ("lcs.stress_1" …
    /// "lcs.emergency_3") still name the round's n-th strategy of that severity in a column mapping.
    /// </summary>
    public static class Lcs
    {
        public const string StressPrefix = "lcs.stress.";
        public const string CrisisPrefix = "lcs.crisis.";
        public const string EmergencyPrefix = "lcs.emergency.";

        public static IReadOnlyList<string> LegacyStress { get; } = ["lcs.stress_1", "lcs.stress_2", "lcs.stress_3", "lcs.stress_4"];
        public static IReadOnlyList<string> LegacyCrisis { get; } = ["lcs.crisis_1", "lcs.crisis_2", "lcs.crisis_3"];
        public static IReadOnlyList<string> LegacyEmergency { get; } = ["lcs.emergency_1", "lcs.emergency_2", "lcs.emergency_3"];
    }

    /// <summary>
    /// CARI food expenditure share: open-ended item fields by prefix, e.g. "fes.food_7d.cereals_purchased". Food items
    /// are 7-day (or, where a country asks so, 30-day) values: purchased in cash or on credit, and the value of gifts, aid
    /// and own production alike; non-food items are 30-day or 6-month values. Amounts in local currency, 0 or more.
    /// </summary>
    public static class Fes
    {
        public const string Food7DaysPrefix = "fes.food_7d.";
        public const string Food30DaysPrefix = "fes.food_30d.";
        public const string NonFood30DaysPrefix = "fes.nonfood_30d.";
        public const string NonFood6MonthsPrefix = "fes.nonfood_6m.";
    }

    /// <summary>Household values of custom indicators: "custom.&lt;name&gt;".</summary>
    public const string CustomPrefix = "custom.";

    // Every constant of the nested classes except the prefixes, which are not fields themselves.
    private static readonly HashSet<string> Fixed = [.. typeof(AnswerFields).GetNestedTypes()
        .Where(t => t != typeof(Fes) && t != typeof(Lcs))
        .SelectMany(t => t.GetFields())
        .Where(f => f.IsLiteral)
        .Select(f => (string)f.GetRawConstantValue()!)
        .Concat(Lcs.LegacyStress).Concat(Lcs.LegacyCrisis).Concat(Lcs.LegacyEmergency)
        .Append(MahfpMonthsShort)];

    private static readonly string[] OpenPrefixes =
        [Fes.Food7DaysPrefix, Fes.Food30DaysPrefix, Fes.NonFood30DaysPrefix, Fes.NonFood6MonthsPrefix, Lcs.StressPrefix, Lcs.CrisisPrefix, Lcs.EmergencyPrefix, CustomPrefix];

    /// <summary>True for a fixed field, or a prefixed field with a non-empty lower_snake_case item name.</summary>
    public static bool IsKnown(string field) => Fixed.Contains(field) || OpenPrefixes.Any(p => IsItem(field, p));

    /// <summary>True when <paramref name="field"/> is <paramref name="prefix"/> followed by a lower_snake_case item name.</summary>
    public static bool IsItem(string field, string prefix) =>
        field.Length > prefix.Length
        && field.StartsWith(prefix, StringComparison.Ordinal)
        && field[prefix.Length..].All(c => c is (>= 'a' and <= 'z') or (>= '0' and <= '9') or '_');
}
