/**
 * Services compiled with the AspectJ compiler, the starter's {@code CompensationAspect} and Spring's
 * {@code AnnotationTransactionAspect} woven in, as an application using {@code compensation.mode=aspectj} would be.
 */
package io.github.compensation.aspectjtest;
