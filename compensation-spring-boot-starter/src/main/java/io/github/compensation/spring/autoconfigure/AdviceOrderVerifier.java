package io.github.compensation.spring.autoconfigure;

import org.jspecify.annotations.Nullable;
import org.springframework.beans.factory.BeanFactory;
import org.springframework.beans.factory.BeanFactoryAware;
import org.springframework.beans.factory.ListableBeanFactory;
import org.springframework.beans.factory.SmartInitializingSingleton;
import org.springframework.transaction.interceptor.BeanFactoryTransactionAttributeSourceAdvisor;

/**
 * Fails the start when the compensation advice would run inside {@code @Transactional} instead of around it (clauses
 * T4 and E3): compensations would then run before the database rolled back, and a failed commit would go unseen.
 */
public class AdviceOrderVerifier implements SmartInitializingSingleton, BeanFactoryAware {

    private final int adviceOrder;
    private @Nullable ListableBeanFactory beanFactory;

    /**
     * Creates the verifier.
     *
     * @param adviceOrder the configured {@code compensation.advice-order}
     */
    public AdviceOrderVerifier(int adviceOrder) {
        this.adviceOrder = adviceOrder;
    }

    @Override
    public void setBeanFactory(BeanFactory beanFactory) {
        this.beanFactory = (ListableBeanFactory) beanFactory;
    }

    @Override
    public void afterSingletonsInstantiated() {
        ListableBeanFactory beanFactory = this.beanFactory;
        if (beanFactory == null) {
            return;
        }
        beanFactory.getBeansOfType(BeanFactoryTransactionAttributeSourceAdvisor.class, false, false)
                .values().forEach(advisor -> {
                    if (adviceOrder >= advisor.getOrder()) {
                        throw new IllegalStateException("compensation.advice-order is " + adviceOrder
                                + ", which does not place the compensation advice outside @Transactional (order "
                                + advisor.getOrder() + "). Compensations must run after the database rolled back:"
                                + " set compensation.advice-order to a value below " + advisor.getOrder()
                                + ", or remove the property to use the default");
                    }
                });
    }
}
