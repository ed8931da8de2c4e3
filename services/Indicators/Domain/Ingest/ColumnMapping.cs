using Watershed.ServiceDefaults.Errors;

namespace Watershed.Indicators.Domain.Ingest;

/// <summary>
/// Where a form's export keeps what we need: the metadata columns, and for each canonical answer field
/// (<see cref="AnswerFields"/>, e.g. "fcs.staples") the form's column (e.g. "FCSStap"). Forms name their
/// questions freely; a mapping lets any of them be imported. A canonical field the mapping leaves out,
/// or whose column the file lacks, was not asked: the indicators that need it come out missing.
/// </summary>
public sealed record ColumnMapping(
    IReadOnlyList<string> SubmissionIdColumns,
    string AreaColumn,
    string HouseholdColumn,
    string? WeightColumn,
    string InterviewDateColumn,
    IReadOnlyDictionary<string, string> AnswerColumns)
{
    /// <summary>
    /// A typical WFP-style XLSForm: question names after WFP's codebook (FCSStap, rCSILessQlty, HHhSNoFood…),
    /// metadata columns community_id, household_id, weight and interview_date. Check the names against the form.
    /// </summary>
    public static ColumnMapping WfpDefault { get; } = new(
        ["_uuid", "meta/instanceID"],
        "community_id",
        "household_id",
        "weight",
        "interview_date",
        DefaultAnswerColumns());

    /// <summary>The most submission id columns a mapping tries.</summary>
    public const int MaxSubmissionIdColumns = 10;

    /// <summary>
    /// Every problem with the mapping, named by its attribute (snake_case, answer columns as answer_columns[field]).
    /// Column names follow <see cref="KoboCsv.ColumnNameFault"/> (1–200 characters, one line); a key that is not a
    /// canonical field and cannot be quoted safely (over 100 characters or not one line) is reported under answer_columns.
    /// </summary>
    public IReadOnlyList<FieldViolation> Validate()
    {
        var errors = new List<FieldViolation>();
        if (SubmissionIdColumns.Count is 0 or > MaxSubmissionIdColumns || SubmissionIdColumns.Any(string.IsNullOrWhiteSpace))
        {
            errors.Add(new FieldViolation("submission_id_columns", $"needs 1–{MaxSubmissionIdColumns} columns and no blank column names"));
        }
        else
        {
            errors.AddRange(SubmissionIdColumns.Index()
                .Where(c => KoboCsv.ColumnNameFault(c.Item) is not null)
                .Select(c => new FieldViolation($"submission_id_columns[{c.Index}]", KoboCsv.ColumnNameFault(c.Item)!)));
        }

        foreach (var (attribute, column) in new[] { ("area_column", AreaColumn), ("household_column", HouseholdColumn), ("interview_date_column", InterviewDateColumn) })
        {
            if (string.IsNullOrWhiteSpace(column))
            {
                errors.Add(new FieldViolation(attribute, "is required"));
            }
            else if (KoboCsv.ColumnNameFault(column) is { } fault)
            {
                errors.Add(new FieldViolation(attribute, fault));
            }
        }

        if (WeightColumn is not null && string.IsNullOrWhiteSpace(WeightColumn))
        {
            errors.Add(new FieldViolation("weight_column", "must not be blank; leave it out for an unweighted survey"));
        }
        else if (WeightColumn is not null && KoboCsv.ColumnNameFault(WeightColumn) is { } fault)
        {
            errors.Add(new FieldViolation("weight_column", fault));
        }

        if (AnswerColumns.Count > KoboCsv.MaxColumns)
        {
            errors.Add(new FieldViolation("answer_columns", $"maps {AnswerColumns.Count} fields; at most {KoboCsv.MaxColumns}"));
            return errors;
        }

        var metadata = MetadataColumns.ToHashSet(StringComparer.Ordinal);
        var usedBy = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var (field, column) in AnswerColumns.OrderBy(p => p.Key, StringComparer.Ordinal))
        {
            var at = $"answer_columns[{field}]";
            if (!AnswerFields.IsKnown(field))
            {
                if (TextRules.OneLineFault(field, 100) is not null)
                {
                    errors.Add(new FieldViolation("answer_columns", $"has a key of {field.Length} characters that is not a canonical answer field"));
                    continue;
                }

                errors.Add(new FieldViolation(at, "is not a canonical answer field"));
            }

            if (string.IsNullOrWhiteSpace(column))
            {
                errors.Add(new FieldViolation(at, "column name is required"));
            }
            else if (KoboCsv.ColumnNameFault(column) is { } fault)
            {
                errors.Add(new FieldViolation(at, $"column name {fault}"));
            }
            else if (metadata.Contains(column))
            {
                errors.Add(new FieldViolation(at, $"column '{column}' is already a metadata column"));
            }
            else if (!usedBy.TryAdd(column, field))
            {
                errors.Add(new FieldViolation(at, $"column '{column}' is already mapped to {usedBy[column]}"));
            }
        }

        return errors;
    }

    public IEnumerable<string> MetadataColumns =>
        SubmissionIdColumns.Concat([AreaColumn, HouseholdColumn, InterviewDateColumn]).Concat(WeightColumn is null ? [] : [WeightColumn]);

    public string? ColumnOf(string field) => AnswerColumns.GetValueOrDefault(field);

    /// <summary>The canonical answers of a submission: mapped fields whose column the export has.</summary>
    public AnswerSheet ToAnswerSheet(IReadOnlyDictionary<string, string> answers)
    {
        ArgumentNullException.ThrowIfNull(answers);
        return new AnswerSheet(AnswerColumns
            .Where(p => answers.ContainsKey(p.Value))
            .Select(p => KeyValuePair.Create(p.Key, (string?)answers[p.Value])));
    }

    private static Dictionary<string, string> DefaultAnswerColumns()
    {
        var columns = new Dictionary<string, string>(StringComparer.Ordinal)
        {
            [AnswerFields.Fcs.Staples] = "FCSStap",
            [AnswerFields.Fcs.Pulses] = "FCSPulse",
            [AnswerFields.Fcs.Dairy] = "FCSDairy",
            [AnswerFields.Fcs.MeatFishEggs] = "FCSPr",
            [AnswerFields.Fcs.FleshMeat] = "FCSPrMeatF",
            [AnswerFields.Fcs.OrganMeat] = "FCSPrMeatO",
            [AnswerFields.Fcs.Fish] = "FCSPrFish",
            [AnswerFields.Fcs.Eggs] = "FCSPrEgg",
            [AnswerFields.Fcs.Vegetables] = "FCSVeg",
            [AnswerFields.Fcs.OrangeVegetables] = "FCSVegOrg",
            [AnswerFields.Fcs.GreenLeafy] = "FCSVegGre",
            [AnswerFields.Fcs.Fruit] = "FCSFruit",
            [AnswerFields.Fcs.OrangeFruit] = "FCSFruitOrg",
            [AnswerFields.Fcs.Oil] = "FCSFat",
            [AnswerFields.Fcs.Sugar] = "FCSSugar",
            [AnswerFields.Fcs.Condiments] = "FCSCond",
            [AnswerFields.Rcsi.LessPreferredFood] = "rCSILessQlty",
            [AnswerFields.Rcsi.BorrowFood] = "rCSIBorrow",
            [AnswerFields.Rcsi.LimitPortions] = "rCSIMealSize",
            [AnswerFields.Rcsi.RestrictAdults] = "rCSIMealAdult",
            [AnswerFields.Rcsi.FewerMeals] = "rCSIMealNb",
            [AnswerFields.Hdds.Cereals] = "HDDSStapCer",
            [AnswerFields.Hdds.RootsTubers] = "HDDSStapRoot",
            [AnswerFields.Hdds.Vegetables] = "HDDSVeg",
            [AnswerFields.Hdds.Fruits] = "HDDSFruit",
            [AnswerFields.Hdds.Meat] = "HDDSPrMeat",
            [AnswerFields.Hdds.Eggs] = "HDDSPrEgg",
            [AnswerFields.Hdds.Fish] = "HDDSPrFish",
            [AnswerFields.Hdds.Legumes] = "HDDSPulse",
            [AnswerFields.Hdds.Dairy] = "HDDSDairy",
            [AnswerFields.Hdds.Oils] = "HDDSFat",
            [AnswerFields.Hdds.Sweets] = "HDDSSugar",
            [AnswerFields.Hdds.Condiments] = "HDDSCond",
            [AnswerFields.Mddw.Age] = "MDDWAge",
            [AnswerFields.Mddw.GrainsRoots] = "MDDWStapCer",
            [AnswerFields.Mddw.Pulses] = "MDDWPulse",
            [AnswerFields.Mddw.NutsSeeds] = "MDDWNuts",
            [AnswerFields.Mddw.Dairy] = "MDDWDairy",
            [AnswerFields.Mddw.MeatFish] = "MDDWMeatFish",
            [AnswerFields.Mddw.Eggs] = "MDDWEgg",
            [AnswerFields.Mddw.DarkGreenLeafy] = "MDDWLeafGVeg",
            [AnswerFields.Mddw.VitaminAFruitVegetables] = "MDDWVitA",
            [AnswerFields.Mddw.OtherVegetables] = "MDDWVegOth",
            [AnswerFields.Mddw.OtherFruits] = "MDDWFruitOth",
            [AnswerFields.Hhs.NoFood] = "HHhSNoFood",
            [AnswerFields.Hhs.NoFoodFrequency] = "HHhSNoFood_FR",
            [AnswerFields.Hhs.SleepHungry] = "HHhSBedHung",
            [AnswerFields.Hhs.SleepHungryFrequency] = "HHhSBedHung_FR",
            [AnswerFields.Hhs.WholeDayWithoutEating] = "HHhSNotEat",
            [AnswerFields.Hhs.WholeDayWithoutEatingFrequency] = "HHhSNotEat_FR",
            [AnswerFields.Fies.Worried] = "FIESWorried",
            [AnswerFields.Fies.Healthy] = "FIESHealthy",
            [AnswerFields.Fies.FewFoods] = "FIESFewFoods",
            [AnswerFields.Fies.Skipped] = "FIESSkipped",
            [AnswerFields.Fies.AteLess] = "FIESAteLess",
            [AnswerFields.Fies.RanOut] = "FIESRanOut",
            [AnswerFields.Fies.Hungry] = "FIESHungry",
            [AnswerFields.Fies.WholeDay] = "FIESWholeDay",
            [AnswerFields.MahfpMonthsShort] = "MAHFPMonths",
        };
        foreach (var (i, field) in AnswerFields.Lcs.Stress.Index())
        {
            columns[field] = $"LcsStress{i + 1}";
        }

        foreach (var (i, field) in AnswerFields.Lcs.Crisis.Index())
        {
            columns[field] = $"LcsCrisis{i + 1}";
        }

        foreach (var (i, field) in AnswerFields.Lcs.Emergency.Index())
        {
            columns[field] = $"LcsEm{i + 1}";
        }

        // Food: cash, credit, gifts/aid and own production over 7 days; non-food over 1 and 6 months.
        foreach (var item in new[] { "Cer", "Tub", "Puls", "Veg", "Fruit", "Meat", "Fish", "Eggs", "Dairy", "Fats", "Sgr", "Cond", "Bev", "Out" })
        {
            foreach (var source in new[] { "MN", "CRD", "GiftAid", "Own" })
            {
                columns[$"{AnswerFields.Fes.Food7DaysPrefix}{item.ToLowerInvariant()}_{source.ToLowerInvariant()}"] = $"HHExpF{item}_{source}_7D";
            }
        }

        foreach (var item in new[] { "Hyg", "Transp", "Fuel", "Wat", "Elec", "Phone", "Rent" })
        {
            columns[$"{AnswerFields.Fes.NonFood30DaysPrefix}{item.ToLowerInvariant()}"] = $"HHExpNF{item}_MN_1M";
        }

        foreach (var item in new[] { "MedServ", "MedGood", "Cloth", "EduFee", "EduGood", "HHSoft", "Build" })
        {
            columns[$"{AnswerFields.Fes.NonFood6MonthsPrefix}{item.ToLowerInvariant()}"] = $"HHExpNF{item}_MN_6M";
        }

        return columns;
    }
}
