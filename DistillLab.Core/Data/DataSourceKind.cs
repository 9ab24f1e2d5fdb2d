namespace DistillLab.Core.Data;

/// <summary>The kinds of data source DistillLab can read.</summary>
public enum DataSourceKind
{
    /// <summary>The built-in procedurally drawn cats and dogs.</summary>
    Synthetic,
    /// <summary>One sub-folder per class, or the Kaggle competition layout (cat.1.jpg, dog.2.jpg).</summary>
    Folder,
    /// <summary>MNIST-family IDX files (train and t10k pairs), gzipped or not.</summary>
    Idx,
    /// <summary>Microsoft's Kaggle Cats and Dogs release, filtered as TFDS cats_vs_dogs 4.0.1.</summary>
    PetImages,
}
